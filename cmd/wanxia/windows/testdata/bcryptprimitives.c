/*
 * A stand-in for Windows' bcryptprimitives.dll, for running wanxia's Windows
 * builds under Wine in tests only; never shipped.
 *
 * Go's Windows runtime (since Go 1.24) draws its random numbers from
 * ProcessPrng in bcryptprimitives.dll, which every supported Windows has and
 * Wine 8.0 (Debian 12's wine64) lacks: without it a Go program stops at
 * start with "bcryptprimitives.dll not found". This DLL exports ProcessPrng
 * and forwards it to BCryptGenRandom with the system's preferred generator,
 * which Wine has. The tests build it with mingw-w64 and put it in their
 * Wine prefix's system32.
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += n;
        size -= n;
    }
    return TRUE;
}
