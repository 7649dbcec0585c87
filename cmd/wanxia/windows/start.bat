@echo off
rem Starts the office: wanxia.exe office start (the first time it asks for
rem the hub address, the office id and the token, then opens the office desk).
rem This file stays ASCII: cmd.exe reads a .bat in the system code page.
chcp 65001 >nul
cd /d "%~dp0"
wanxia.exe office start
if errorlevel 1 pause
