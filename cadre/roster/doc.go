// Package roster reads and writes the CSV rosters of cadres that community
// offices keep in Excel: one row per cadre, the columns of the wanxia
// command's contract (the "CSV/Excel header" column of its field table).
//
// Read is written for files a person saved from Excel rather than for files
// a program wrote. It accepts UTF-8 with or without a byte order mark and
// GB18030 (what Excel saves as "CSV" on a Chinese Windows); title rows
// above the header; headers in Chinese or English in any order, also in
// the words bureaus use (身份证号码, 出生年月, 联系电话); enumerations as codes,
// Chinese labels or common spellings (离休干部, 中共党员); the date forms
// Excel users type and Excel serials, and a year and month alone where a
// field allows it (stored as the first of the month); full-width digits and
// stray spaces. ReadXLSXSheet reads a sheet of a workbook the same way. A
// bad cell is reported with its column as written, its value and the forms
// accepted, in Chinese and English (RowError.Message). It refuses, with a message saying how to fix
// the sheet, ID numbers that Excel turned into numbers and so lost digits.
//
// A roster is a batch typed by hand, so one bad row must not cost the good
// ones: Read keeps every row that passes cadre validation and reports every
// problem of every other row, by line number and column, in one pass. Only a
// file that cannot be read as a roster at all is an error.
//
// A Scanner (NewScanner, NewSheetScanner) reads the same roster one row at
// a time, so that a program storing a roster of 100,000 rows holds a batch
// of them, never the file: a CSV file is read through once first (its
// encoding, its row count, and whether its CSV form holds to the last
// line, so that a broken file is refused before any row is stored), then
// row by row.
//
// Write produces the same layout, so that an exported roster can be edited
// and read back.
package roster
