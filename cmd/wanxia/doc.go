// Wanxia is the command of the Wanxia retired-cadre system: `wanxia hub …`
// on the district hub's machine and `wanxia office …` on a community
// office's computer.
//
//	wanxia hub office add --id sy-1 --name 舜园社区办公室 --communities sy
//	wanxia hub serve --addr 0.0.0.0:8080 --merge-at 02:00 --backup backups
//	wanxia office init --hub http://hub:8080 --office sy-1 --token TOKEN
//	wanxia office cadre add --name 王建国 --id-number 370102194403150012 …
//	wanxia office import 名册.xlsx
//	wanxia office sync
//	wanxia hub branch plan --apply
//	wanxia office meeting add --branch 5c1f08d2 --kind 主题党日 --on 2026-11-10 --absent 370102…=health
//	wanxia office meeting deliver MEETING CADRE
//	wanxia office dues pay 370102… --months 2026-09,2026-10
//	wanxia office dues arrears
//	wanxia hub helper add --name 王立军 --lat 36.6615 --lng 117.0195 --capacity 5
//	wanxia hub pair assign --apply
//	wanxia office pair list
//	wanxia office visit due
//	wanxia office visit add 370102… --kind home --on 2026-11-20 --by 王立军
//	wanxia office hospital admit 370102… --on 2026-11-20
//	wanxia office help open 370102… --kind medical --urgent
//	wanxia office help act 0193a1b2-… --note 已联系社区医院
//	wanxia office help list
//	wanxia hub venue add --kind 活动室 --name 舜园社区老干部活动室 --community sy --lat 36.6630 --lng 117.0000 --services 活动,发挥作用
//	wanxia hub venue close 0193a1b2-… --on 2026-12-01
//	wanxia hub program enrol sy --stage pilot --since 2024-03-01
//	wanxia hub coverage --sites 1
//	wanxia office nearby 370102…
//	wanxia office coverage
//	wanxia hub report visits --office sy-1
//	wanxia hub report all --on 2026-11-20 --out 晨报.xlsx
//	wanxia office report dues --format csv --out 党费.csv
//
// The command is thin: it parses the command line, calls the use cases of
// syncsvc/desk (and syncsvc/nightly for the merge), and prints. Everything it
// stores is stored by syncsvc, one transaction per use case, in the replica
// named by --db (default wanxia-hub.db or wanxia-office.db).
//
// It follows the contract of docs/cli.md: flags before or after arguments;
// --json on every verb that prints data (snake_case keys, [] for an empty
// list; cadres in the JSON of cadre.Cadre); --lang zh|en for labels, Chinese
// by default; a record named by its UUID, a unique prefix of at least 8
// characters, or (a cadre) its ID number. National ID numbers are shown in
// full only by `cadre show` and the --json of the cadre verbs, masked in
// lists, and never logged. A token is printed once and never echoed.
//
// Help and messages follow --lang. Help is written in English where each
// verb is built; its Chinese is in helpzh_hub.go and helpzh_office.go, keyed
// by the English text, and TestHelpIsChinese names a text that has none, so
// a new or reworded Short, Long or flag usage needs its Chinese there.
// Messages are written in both languages (a.t, a.tf, a.printf, a.fail,
// a.usage); a library error is shown through a.libText, which uses the
// wording the error carries (cadre.Worded, cadre.FieldError) or words it at
// the edge (errtext.go).
//
// Exit codes: 0 ok; 1 the work failed (bad rows, refused by the hub, hub
// unreachable); 2 bad usage (an unknown flag or verb, a missing argument,
// a bad flag value). A failure is one line on stderr that says what was
// wrong and what to do next. Progress of long work (sync, a large import)
// is drawn on stderr when it is a terminal, and written as occasional
// plain lines when it is not.
//
// `hub serve` holds the hub database's lock while it runs, so that `hub
// restore` refuses to replace the file under it; with --merge-at HH:MM it
// runs the nightly merge daily at that time (Asia/Shanghai), one at a time,
// and once at start when the last scheduled one was missed.
package main
