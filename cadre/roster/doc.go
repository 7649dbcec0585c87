// Package roster reads and writes the CSV rosters of cadres that community
// offices keep in Excel: one row per cadre, the columns of the wanxia
// command's contract (the "CSV/Excel header" column of its field table).
//
// Read is written for files a person saved from Excel rather than for files
// a program wrote. It accepts UTF-8 with or without a byte order mark and
// GB18030 (what Excel saves as "CSV" on a Chinese Windows), headers in Chinese
// or English in any order, enumerations as codes or Chinese labels, and the
// date forms Excel users type. It refuses, with a message saying how to fix
// the sheet, ID numbers that Excel turned into numbers and so lost digits.
//
// A roster is a batch typed by hand, so one bad row must not cost the good
// ones: Read keeps every row that passes cadre validation and reports every
// problem of every other row, by line number and column, in one pass. Only a
// file that cannot be read as a roster at all is an error.
//
// Write produces the same layout, so that an exported roster can be edited
// and read back.
package roster
