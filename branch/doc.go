// Package branch holds the rules of the Party branches (党支部) of retired
// cadres and of their Party dues (党费), as the district's domain notes give
// them (《中国共产党支部工作条例（试行）》, 中组发〔2008〕3号):
//
//   - Plan proposes a branch setup in which every retired Party member is in
//     exactly one branch, each branch has at least 3 full members or is a
//     joint branch (联合党支部) of at most 5 neighbouring communities, and no
//     branch has more than 50 members; it keeps every existing membership the
//     rules allow and explains every move. Applying a plan is a person's
//     decision: Plan only proposes.
//   - CheckCommittee checks a branch's secretary, committee and term.
//   - MeetingsDue says which meetings (三会一课, 主题党日, 组织生活会, 民主评议党员)
//     are held, due or missed in a month, and which members absent for their
//     health are owed the study at home (送学上门).
//   - RetiredMonthlyDues and Arrears compute Party dues and arrears, with
//     approved reductions and exemptions, ending on a member's death.
//   - TrainingDue says which secretaries still need this year's training.
//   - Assess scores a branch against a criteria set ("五好" by default, see
//     FiveGood; criteria are data, so another set such as "六好" loads from
//     JSON) from recorded evidence, listing the evidence per criterion.
//
// The package is pure, like package cadre below it: no storage, no network,
// no files, no clock. Every rule takes the date or month it is evaluated for,
// and the same input always gives the same output, sorted. Derived states
// (due, missed, arrears) are computed when read and never stored. The records
// here (Branch, Membership, Post, Meeting, DuesPayment, DuesRelief,
// TrainingAttendance, Community, Feedback) are plain values; package syncsvc
// stores and syncs them.
//
// Every number of the domain notes is a setting with a Default… constructor
// (DefaultPlanSettings, DefaultCommitteeSettings, DefaultMeetingSettings,
// DefaultDuesSettings, DefaultTrainingSettings, or all of them at once with
// DefaultSettings), except the dues rates, which are national.
//
// Labels a person reads come in Chinese and English (cadre.Chinese,
// cadre.English), as in package cadre: enumerations have Label, and
// explanations are Text values with both languages.
package branch
