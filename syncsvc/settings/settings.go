// Package settings holds the district's settings: every number of the
// domain's rules that a district may set differently (the need-tier ages,
// pair capacity, visit periods and windows, how soon an urgent help case is
// acted on, the walking radius, branch and committee sizes, terms, arrears
// thresholds…). They are written at the hub (`wanxia hub setting set`),
// replicated to every office as district data, and read by every rule
// through one function, Load, which starts from the rules' defaults.
package settings

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// Rules are the settings of every rule, as the district has them.
type Rules struct {
	// Policy holds the ages of the need tiers and of the double-high
	// period; it is copied into Assign, Schedule and Venue.
	Policy   cadre.Policy
	Assign   care.AssignSettings
	Schedule care.ScheduleSettings
	Help     care.HelpSettings
	Branch   branch.Settings
	Venue    venue.Settings
}

// Defaults returns the rules' own defaults, the numbers of the domain
// notes.
func Defaults() Rules {
	r := Rules{
		Policy:   cadre.DefaultPolicy(),
		Assign:   care.DefaultAssignSettings(),
		Schedule: care.DefaultScheduleSettings(),
		Help:     care.DefaultHelpSettings(),
		Branch:   branch.DefaultSettings(),
		Venue:    venue.DefaultSettings(),
	}
	return r
}

// ErrUnknownKey: no setting has that key.
var ErrUnknownKey = errors.New("no such setting")

// ErrBadValue: a value a setting cannot take.
var ErrBadValue = errors.New("bad setting value")

// ValueError says, in both languages, why a value cannot be taken. It
// wraps ErrBadValue.
type ValueError struct {
	Zh, En string
}

func (e *ValueError) Error() string { return e.En }

// Unwrap returns ErrBadValue.
func (e *ValueError) Unwrap() error { return ErrBadValue }

// Message words the problem in a language.
func (e *ValueError) Message(lang cadre.Lang) string {
	if lang == cadre.English {
		return e.En
	}
	return e.Zh
}

func bad(zh, en string, args ...any) error {
	return &ValueError{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)}
}

// Def is one setting: its key, what it is in both languages, and how it
// reads and writes the rules.
type Def struct {
	Key    string
	Zh, En string
	get    func(*Rules) string
	set    func(*Rules, string) error
}

// Label names the setting in a language.
func (d Def) Label(lang cadre.Lang) string {
	if lang == cadre.English {
		return d.En
	}
	return d.Zh
}

// intDef is a whole-number setting of at least min.
func intDef(key, zh, en string, min int, p func(*Rules) *int) Def {
	return Def{Key: key, Zh: zh, En: en,
		get: func(r *Rules) string { return strconv.Itoa(*p(r)) },
		set: func(r *Rules, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return bad("%q 不是整数", "%q is not a whole number", v)
			}
			if n < min {
				return bad("不能小于 %d（现为 %d）", "must be at least %d (not %d)", min, n)
			}
			*p(r) = n
			return nil
		}}
}

func floatDef(key, zh, en string, p func(*Rules) *float64) Def {
	return Def{Key: key, Zh: zh, En: en,
		get: func(r *Rules) string { return strconv.FormatFloat(*p(r), 'f', -1, 64) },
		set: func(r *Rules, v string) error {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return bad("%q 不是数字", "%q is not a number", v)
			}
			*p(r) = f
			return nil
		}}
}

// defs are the district's settings, in the order they are listed.
var defs = []Def{
	intDef("policy.double_high_age", "双高期年龄（退休、军休干部）", "double-high period age (retired, military)", 50, func(r *Rules) *int { return &r.Policy.DoubleHighAge }),
	intDef("policy.alone_age", "独居高龄年龄", "age from which living alone is a need", 50, func(r *Rules) *int { return &r.Policy.AloneAge }),
	intDef("policy.elderly_age", "高龄年龄", "elderly age", 50, func(r *Rules) *int { return &r.Policy.ElderlyAge }),
	intDef("pairing.capacity", "每位帮扶人结对人数（1对5）", "cadres per helper (1对5)", 1, func(r *Rules) *int { return &r.Assign.Capacity }),
	intDef("visits.home_every_months", "入户走访间隔（月）", "home visit every (months)", 1, func(r *Rules) *int { return &r.Schedule.HomeEveryMonths }),
	intDef("visits.contact_every_months", "电话或视频联系间隔（月）", "call or video contact every (months)", 1, func(r *Rules) *int { return &r.Schedule.ContactEveryMonths }),
	intDef("visits.hospital_every_months", "住院期间探望间隔（月）", "hospital visit every (months)", 1, func(r *Rules) *int { return &r.Schedule.HospitalEveryMonths }),
	intDef("visits.window_before_days", "节日、寿辰走访提前天数", "holiday and birthday visit window opens (days before)", 0, func(r *Rules) *int { return &r.Schedule.WindowBeforeDays }),
	intDef("visits.window_after_days", "节日、寿辰走访延后天数", "holiday and birthday visit window closes (days after)", 0, func(r *Rules) *int { return &r.Schedule.WindowAfterDays }),
	intDef("visits.condolence_days", "去世后慰问期限（天）", "condolence visit within (days)", 0, func(r *Rules) *int { return &r.Schedule.CondolenceDays }),
	{Key: "help.urgent_within_hours", Zh: "特事特办期限（小时）", En: "urgent help case acted on within (hours)",
		get: func(r *Rules) string { return strconv.FormatFloat(r.Help.UrgentWithin.Hours(), 'f', -1, 64) },
		set: func(r *Rules, v string) error {
			h, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				return bad("%q 不是小时数", "%q is not a number of hours", v)
			}
			r.Help.UrgentWithin = time.Duration(h * float64(time.Hour))
			return nil
		}},
	floatDef("venue.radius_metres", "就近步行距离（米）", "walking radius (metres)", func(r *Rules) *float64 { return &r.Venue.RadiusMetres }),
	floatDef("venue.detour_factor", "步行绕行系数", "walking detour factor", func(r *Rules) *float64 { return &r.Venue.DetourFactor }),
	intDef("branch.min_full_members", "单独建支部的最少正式党员数", "full members for a branch of its own", 1, func(r *Rules) *int { return &r.Branch.Plan.MinFullMembers }),
	intDef("branch.max_members", "支部最多党员数", "most members of a branch", 1, func(r *Rules) *int { return &r.Branch.Plan.MaxMembers }),
	intDef("branch.max_joint_communities", "联合支部最多社区数", "most communities of a joint branch", 1, func(r *Rules) *int { return &r.Branch.Plan.MaxJointCommunities }),
	intDef("committee.from_full_members", "设支委会的正式党员数", "full members from which a branch has a committee", 1, func(r *Rules) *int { return &r.Branch.Committee.CommitteeFrom }),
	intDef("committee.min_size", "支委会最少人数", "least committee size", 1, func(r *Rules) *int { return &r.Branch.Committee.MinCommittee }),
	intDef("committee.usual_max_size", "支委会一般最多人数", "usual most committee size", 1, func(r *Rules) *int { return &r.Branch.Committee.UsualMaxCommittee }),
	intDef("committee.max_size", "支委会最多人数", "most committee size", 1, func(r *Rules) *int { return &r.Branch.Committee.MaxCommittee }),
	intDef("committee.term_years", "支委会任期（年）", "committee term (years)", 1, func(r *Rules) *int { return &r.Branch.Committee.TermYears }),
	intDef("committee.warn_days", "换届提前提醒（天）", "election flagged due (days before the term ends)", 0, func(r *Rules) *int { return &r.Branch.Committee.WarnDays }),
	intDef("dues.reminder_months", "党费连续未交提醒（月）", "unpaid dues months before a reminder", 1, func(r *Rules) *int { return &r.Branch.Dues.ReminderMonths }),
	intDef("dues.review_months", "党费连续未交提交支部处理（月）", "unpaid dues months before review by the branch", 1, func(r *Rules) *int { return &r.Branch.Dues.ReviewMonths }),
	intDef("training.every_months", "支部书记培训周期（月）", "secretary training every (months)", 1, func(r *Rules) *int { return &r.Branch.Training.EveryMonths }),
}

// Defs lists the district's settings in order.
func Defs() []Def { return slices.Clone(defs) }

// Lookup finds a setting by key.
func Lookup(key string) (Def, error) {
	for _, d := range defs {
		if d.Key == key {
			return d, nil
		}
	}
	return Def{}, fmt.Errorf("%w: %q", ErrUnknownKey, key)
}

// Apply returns the defaults with the given values set, checked as a
// whole: each value must parse and every rule must accept its settings.
// Values of keys this program does not know (written by a newer one) are
// ignored.
func Apply(values map[string]string) (Rules, error) {
	r := Defaults()
	for _, d := range defs {
		v, ok := values[d.Key]
		if !ok || v == "" {
			continue
		}
		if err := d.set(&r, v); err != nil {
			return Defaults(), err
		}
	}
	r.Assign.Policy, r.Schedule.Policy, r.Venue.Policy = r.Policy, r.Policy, r.Policy
	r.Branch.Meetings.CommitteeFrom = r.Branch.Committee.CommitteeFrom
	if err := r.Validate(); err != nil {
		return Defaults(), err
	}
	return r, nil
}

// Validate asks each rule whether it can use its settings.
func (r Rules) Validate() error {
	rules := []struct {
		zh, en string
		err    error
	}{
		{"结对", "pairing", r.Assign.Validate()}, {"走访", "visits", r.Schedule.Validate()}, {"帮扶", "help", r.Help.Validate()},
		{"四就近", "four nearby", r.Venue.Validate()}, {"支部设置", "branch setup", r.Branch.Plan.Validate()},
	}
	for _, c := range rules {
		if c.err != nil {
			return &ValueError{Zh: fmt.Sprintf("%s规则不能用这个值：%s", c.zh, cadre.Describe(c.err, cadre.Chinese)),
				En: fmt.Sprintf("the %s rule cannot use it: %v", c.en, c.err)}
		}
	}
	for _, a := range []struct {
		key string
		v   int
	}{{"policy.double_high_age", r.Policy.DoubleHighAge}, {"policy.alone_age", r.Policy.AloneAge}, {"policy.elderly_age", r.Policy.ElderlyAge}} {
		if a.v < 50 || a.v > 120 {
			return bad("%s 应在 50 到 120 岁之间，现为 %d", "%s must be between 50 and 120, not %d", a.key, a.v)
		}
	}
	c := r.Branch.Committee
	for _, p := range []struct {
		key string
		v   int
	}{{"committee.from_full_members", c.CommitteeFrom}, {"committee.min_size", c.MinCommittee}, {"committee.term_years", c.TermYears},
		{"dues.reminder_months", r.Branch.Dues.ReminderMonths}, {"training.every_months", r.Branch.Training.EveryMonths}} {
		if p.v < 1 {
			return bad("%s 至少为 1，现为 %d", "%s must be at least 1, not %d", p.key, p.v)
		}
	}
	if c.MinCommittee > c.UsualMaxCommittee || c.UsualMaxCommittee > c.MaxCommittee {
		return bad("支委会人数应为 最少 ≤ 一般最多 ≤ 最多，现为 %d、%d、%d", "committee sizes must go least ≤ usual most ≤ most, not %d, %d, %d",
			c.MinCommittee, c.UsualMaxCommittee, c.MaxCommittee)
	}
	if c.WarnDays < 0 {
		return bad("committee.warn_days 不能为负数", "committee.warn_days must not be negative")
	}
	if d := r.Branch.Dues; d.ReviewMonths < d.ReminderMonths {
		return bad("dues.review_months（%d）不能少于 dues.reminder_months（%d）", "dues.review_months (%d) must not be less than dues.reminder_months (%d)",
			d.ReviewMonths, d.ReminderMonths)
	}
	return nil
}

// Load reads the district's settings from a replica, the hub's or an
// office's (which has them from its last sync), onto the defaults. Stored
// values that no longer make sense together (a newer program's, say) give
// an error naming the setting, and the defaults.
func Load(ctx context.Context, r *store.Replica) (Rules, error) {
	values, err := r.SettingValues(ctx)
	if err != nil {
		return Defaults(), fmt.Errorf("load district settings: %w", err)
	}
	return Apply(values)
}

// Item is one setting as a list shows it.
type Item struct {
	Def
	// Value is the value in force; Default the rule's own.
	Value, Default string
	// Set reports whether the district set it.
	Set bool
}

// List lists every setting with its value in force and its default.
func List(ctx context.Context, r *store.Replica) ([]Item, error) {
	values, err := r.SettingValues(ctx)
	if err != nil {
		return nil, fmt.Errorf("list district settings: %w", err)
	}
	now, err := Apply(values)
	if err != nil {
		return nil, err
	}
	def := Defaults()
	out := make([]Item, len(defs))
	for i, d := range defs {
		_, set := values[d.Key]
		out[i] = Item{Def: d, Value: d.get(&now), Default: d.get(&def), Set: set}
	}
	return out, nil
}

// Set checks a value against its rule, with every other setting as the
// district has it, and stores it at the hub. It reports whether anything
// changed.
func Set(ctx context.Context, r *store.Replica, key, value string) (bool, error) {
	d, err := Lookup(key)
	if err != nil {
		return false, err
	}
	values, err := r.SettingValues(ctx)
	if err != nil {
		return false, err
	}
	scratch := Defaults()
	if err := d.set(&scratch, value); err != nil {
		return false, err
	}
	values[key] = d.get(&scratch) // the canonical spelling
	if _, err := Apply(values); err != nil {
		return false, err
	}
	return r.PutSetting(ctx, key, values[key])
}

// Reset gives a setting back its default.
func Reset(ctx context.Context, r *store.Replica, key string) (bool, error) {
	if _, err := Lookup(key); err != nil {
		return false, err
	}
	return r.PutSetting(ctx, key, "")
}
