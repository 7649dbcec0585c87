package cadre

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/syncsvc/text"
)

// Cadre is one retired cadre's record. The fields, their JSON keys and their
// roster headers are fixed by the wanxia command's contract; enumerated
// fields hold codes (see the enum types).
type Cadre struct {
	// ID identifies the record everywhere (a UUID v7 given when it is first stored).
	ID uuid.UUID `json:"id"`
	// Name is the cadre's name (姓名).
	Name string `json:"name"`
	// Gender (性别) must agree with the ID number.
	Gender Gender `json:"gender"`
	// IDNumber is the 18-character resident ID number (身份证号), X upper case.
	IDNumber string `json:"id_number"`
	// BirthDate (出生日期) must agree with the ID number.
	BirthDate Date `json:"birth_date"`
	// Category is 离休, 退休 or 军休.
	Category Category `json:"category"`
	// RetiredOn is the date of retirement (离退休时间).
	RetiredOn Date `json:"retired_on"`
	// Rank is the grade retired at (职级).
	Rank Rank `json:"rank"`
	// Party is the Party membership (党员).
	Party Party `json:"party"`
	// PartyJoinedOn is the date the cadre joined the Party, if known.
	PartyJoinedOn Date `json:"party_joined_on"`
	// Health is the state of health (健康状况).
	Health Health `json:"health"`
	// Living is whom the cadre lives with (居住情况).
	Living Living `json:"living"`
	// ChildrenNearby is whether children live near enough to help (子女在附近).
	ChildrenNearby bool `json:"children_nearby"`
	// Difficulty is whether the cadre is in living difficulty (生活困难).
	Difficulty bool `json:"living_difficulty"`
	// Community is the code of the community the cadre lives in; it is the
	// scope of the record and of every record about the cadre.
	Community string `json:"community"`
	// Address is the home address (住址).
	Address string `json:"address"`
	// Location is the home's position, if known; it changes with Address.
	Location *Location `json:"-"`
	// Phone holds digits, '-' and '+'.
	Phone string `json:"phone"`
	// EmergencyContact is whom to call (紧急联系人).
	EmergencyContact string `json:"emergency_contact"`
	// OriginalUnit is the work unit the cadre retired from (原工作单位).
	OriginalUnit string `json:"original_unit"`
	// PensionFen is the monthly basic pension (基本离退休费) in fen; Party dues
	// are computed from it.
	PensionFen int64 `json:"pension_fen"`
	// Status is 在册, 去世 or 迁出.
	Status Status `json:"status"`
	// StatusOn is the date of death or of moving away; empty while active.
	StatusOn Date `json:"status_on"`
}

// cadreFields is Cadre without its methods, for the JSON encoding.
type cadreFields Cadre

// cadreJSON is the JSON form of the contract: the location as two keys,
// lat and lng, null when the position is not known.
type cadreJSON struct {
	cadreFields
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
}

// MarshalJSON encodes c with the keys of the wanxia command's contract.
func (c Cadre) MarshalJSON() ([]byte, error) {
	j := cadreJSON{cadreFields: cadreFields(c)}
	if c.Location != nil {
		j.Lat, j.Lng = &c.Location.Lat, &c.Location.Lng
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes the form MarshalJSON writes; enumerations may be
// given by code or by label. Only one of lat and lng is an error.
func (c *Cadre) UnmarshalJSON(b []byte) error {
	var j cadreJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = Cadre(j.cadreFields)
	switch {
	case j.Lat != nil && j.Lng != nil:
		c.Location = &Location{Lat: *j.Lat, Lng: *j.Lng}
	case j.Lat != nil || j.Lng != nil:
		return fmt.Errorf("cadre %s: %w: lat and lng must be given together", c.ID, ErrInvalid)
	}
	return nil
}

// Location is a WGS-84 position.
type Location struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// Valid reports whether the coordinates are finite and in range.
func (l Location) Valid() bool {
	return !math.IsNaN(l.Lat) && !math.IsNaN(l.Lng) &&
		l.Lat >= -90 && l.Lat <= 90 && l.Lng >= -180 && l.Lng <= 180
}

// earthRadiusMetres is the mean Earth radius (IUGG).
const earthRadiusMetres = 6_371_008.8

// DistanceMetres returns the great-circle distance from l to o by the
// haversine formula, good to about 0.5 % against the ellipsoid: far below
// what "neighbouring" or "nearby" needs. (Packages that measure many
// distances in a loop keep faster forms of the same formula.)
func (l Location) DistanceMetres(o Location) float64 {
	rad := func(deg float64) float64 { return deg * math.Pi / 180 }
	dLat, dLng := rad(o.Lat-l.Lat), rad(o.Lng-l.Lng)
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(rad(l.Lat))*math.Cos(rad(o.Lat))*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusMetres * math.Asin(math.Sqrt(math.Min(1, h)))
}

// OnRoll reports whether c is on the roll (在册) on d: active (or with no
// status yet), or died or moved away only after d. A death or move
// without its date counts from always. Membership, dues, pairs and the
// program all end on the status date, so every rule asks this.
func (c Cadre) OnRoll(d Date) bool {
	if c.Status == StatusActive || c.Status == "" {
		return true
	}
	return !c.StatusOn.IsZero() && c.StatusOn.After(d)
}

// DistrictScope is the reserved scope of district-wide data, never a community code.
const DistrictScope = "district"

// ValidateCommunityCode checks a community code: 1–32 characters of lower-case
// ASCII letters, digits, '-' and '_', starting with a letter, and not the
// reserved word "district".
func ValidateCommunityCode(code string) error {
	if code == DistrictScope {
		return WordedZH(fmt.Errorf("%w: community code %q is reserved for district-wide data", ErrInvalid, code),
			"district 不能作为社区代码（它表示全区）：请换一个代码")
	}
	ok := len(code) >= 1 && len(code) <= 32 && code[0] >= 'a' && code[0] <= 'z'
	for i := 0; ok && i < len(code); i++ {
		c := code[i]
		ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
	}
	if !ok {
		return Worded(fmt.Errorf("%w: community code %q: want 1–32 lower-case letters, digits, - or _, starting with a letter", ErrInvalid, code),
			fmt.Sprintf("社区代码“%s”不对：应为 1–32 个小写字母、数字、- 或 _，以字母开头（如 sy）", code), "")
	}
	return nil
}

// Normalize tidies a record typed by a person before it is validated: it
// trims spaces, writes the ID number's x as X, fills the birth date and
// gender from a valid ID number when they are empty, and sets an empty
// status to active. It never overwrites a value that was given, so that
// Validate can still report a disagreement.
func (c *Cadre) Normalize() {
	for _, s := range []*string{&c.Name, &c.Community, &c.Address, &c.Phone, &c.EmergencyContact, &c.OriginalUnit} {
		*s = strings.TrimSpace(*s)
	}
	c.IDNumber = NormalizeIDNumber(c.IDNumber)
	if info, err := ParseIDNumber(c.IDNumber); err == nil {
		if c.BirthDate.IsZero() {
			c.BirthDate = info.BirthDate
		}
		if c.Gender == "" {
			c.Gender = info.Gender
		}
	}
	if c.Status == "" {
		c.Status = StatusActive
	}
}

// Validate checks every field of c as of the date of asOf (in asOf's
// location) and reports all problems at once as a *ValidationError, whose
// FieldErrors wrap ErrRequired, ErrInvalid, ErrFuture, ErrOrder, ErrMismatch
// or an ErrID… sentinel. A nil error means the record may be stored.
//
// Required is only what identifies the person: name, ID number (with the
// gender and birth date it gives) and community, and the status (Normalize
// makes a new record active), with its date unless the cadre is active.
// Every other field may be unknown (未填, the empty value; see Gaps) and is
// checked only when given. Dates may not lie after asOf, and must be in
// order: born before retired, before joining the Party, and on or before the
// status date. No text holds a control or invisible character (package
// syncsvc/text), and each keeps to its length.
func (c Cadre) Validate(asOf time.Time) error {
	today := DateOf(asOf)
	var ps Problems

	name := strings.TrimSpace(c.Name)
	if name == "" {
		ps.Add("name", ErrRequired)
	} else {
		checkText(&ps, "name", c.Name, MaxNameRunes)
	}

	checkEnum(&ps, "gender", c.Gender, c.Gender.Valid())
	var info IDInfo
	idOK := false
	if c.IDNumber == "" {
		ps.Add("id_number", ErrRequired)
	} else if i, err := ParseIDNumber(c.IDNumber); err != nil {
		ps.Add("id_number", err)
	} else {
		info, idOK = i, true
	}

	birthOK := checkDate(&ps, "birth_date", c.BirthDate, true, today)
	if idOK && birthOK && c.BirthDate != info.BirthDate {
		ps.AddWorded("birth_date", ErrMismatch, fmt.Sprintf("与身份证号不符，身份证号中为 %s", info.BirthDate), fmt.Sprintf("the ID number gives %s", info.BirthDate))
	}
	if idOK && c.Gender.Valid() && c.Gender != info.Gender {
		ps.AddWorded("gender", ErrMismatch, fmt.Sprintf("与身份证号不符，身份证号中为%s", info.Gender.Label(Chinese)), fmt.Sprintf("the ID number gives %s", info.Gender.Label(English)))
	}

	checkOptionalEnum(&ps, "category", c.Category, c.Category.Valid())
	if checkDate(&ps, "retired_on", c.RetiredOn, false, today) && !c.RetiredOn.IsZero() && birthOK && !c.BirthDate.Before(c.RetiredOn) {
		ps.AddWorded("retired_on", ErrOrder, fmt.Sprintf("离退休时间 %s 不在出生日期之后", c.RetiredOn), fmt.Sprintf("retirement date %s is not after the birth date", c.RetiredOn))
	}
	checkOptionalEnum(&ps, "rank", c.Rank, c.Rank.Valid())
	checkOptionalEnum(&ps, "party", c.Party, c.Party.Valid())
	if checkDate(&ps, "party_joined_on", c.PartyJoinedOn, false, today) && !c.PartyJoinedOn.IsZero() {
		if c.Party == PartyNone {
			ps.AddWorded("party_joined_on", ErrInvalid, "非党员不应填写入党时间", "a date of joining is given for a non-member")
		}
		if birthOK && !c.BirthDate.Before(c.PartyJoinedOn) {
			ps.AddWorded("party_joined_on", ErrOrder, fmt.Sprintf("入党时间 %s 不在出生日期之后", c.PartyJoinedOn), fmt.Sprintf("joined the Party on %s, not after the birth date", c.PartyJoinedOn))
		}
	}
	checkOptionalEnum(&ps, "health", c.Health, c.Health.Valid())
	checkOptionalEnum(&ps, "living", c.Living, c.Living.Valid())

	if c.Community == "" {
		ps.Add("community", ErrRequired)
	} else if err := ValidateCommunityCode(c.Community); err != nil {
		ps.Add("community", err)
	}
	if c.Location != nil && !c.Location.Valid() {
		ps.AddWorded("location", ErrInvalid, "纬度应在±90之内，经度应在±180之内", "latitude must be within ±90 and longitude within ±180")
	}
	checkText(&ps, "address", c.Address, MaxAddressRunes)
	if strings.Trim(c.Phone, "0123456789-+") != "" {
		ps.AddWorded("phone", ErrInvalid, "只能填数字、- 和 +", "only digits, - and + are allowed")
	} else {
		checkLength(&ps, "phone", c.Phone, MaxPhoneRunes)
	}
	checkText(&ps, "emergency_contact", c.EmergencyContact, MaxContactRunes)
	checkText(&ps, "original_unit", c.OriginalUnit, MaxUnitRunes)
	if c.PensionFen < 0 {
		ps.AddWorded("pension_fen", ErrInvalid, "离退休费不能为负数", "the pension may not be negative")
	}

	checkEnum(&ps, "status", c.Status, c.Status.Valid())
	if checkDate(&ps, "status_on", c.StatusOn, c.Status.Valid() && c.Status != StatusActive, today) &&
		!c.StatusOn.IsZero() && birthOK && c.StatusOn.Before(c.BirthDate) {
		ps.AddWorded("status_on", ErrOrder, fmt.Sprintf("状态日期 %s 早于出生日期", c.StatusOn), fmt.Sprintf("status date %s is before the birth date", c.StatusOn))
	}
	return ps.Err()
}

// Size limits of a cadre's text fields, in characters: what the longest
// real value needs with room to spare, so that a record stays small enough
// to travel and print. Validate reports a longer value as ErrInvalid.
const (
	// MaxNameRunes bounds the name (姓名).
	MaxNameRunes = 64
	// MaxAddressRunes bounds the home address (住址).
	MaxAddressRunes = 200
	// MaxPhoneRunes bounds the phone number, which may hold several
	// numbers joined by '-' or an extension.
	MaxPhoneRunes = 32
	// MaxContactRunes bounds the emergency contact (紧急联系人).
	MaxContactRunes = 100
	// MaxUnitRunes bounds the original work unit (原工作单位).
	MaxUnitRunes = 100
)

// checkLength reports a value longer than max characters, worded with the
// limit and how long the value is (never the value itself).
func checkLength(ps *Problems, field, v string, max int) {
	if n := utf8.RuneCountInString(v); n > max {
		ps.AddWorded(field, ErrInvalid, fmt.Sprintf("超过%d个字（现为%d个字）", max, n), fmt.Sprintf("longer than %d characters (%d)", max, n))
	}
}

// checkText reports a one-line text holding a control or invisible
// character (package syncsvc/text), then one longer than max characters.
func checkText(ps *Problems, field, v string, max int) {
	if p := text.Check(v, false); p != nil {
		ps.AddWorded(field, ErrInvalid, p.Chinese(), p.English())
	}
	checkLength(ps, field, v, max)
}

// checkOptionalEnum is checkEnum for a field that may be unknown (empty).
func checkOptionalEnum[T ~string](ps *Problems, field string, v T, valid bool) {
	if v != "" {
		checkEnum(ps, field, v, valid)
	}
}

// checkEnum is Problems.Enum with an unknown value worded in Chinese too.
func checkEnum[T ~string](ps *Problems, field string, v T, valid bool) {
	switch {
	case v == "":
		ps.Add(field, ErrRequired)
	case !valid:
		ps.AddWorded(field, ErrInvalid, fmt.Sprintf("%q 不是可选的值", string(v)), fmt.Sprintf("%q is not a known value", string(v)))
	}
}

// checkDate reports problems with one date field and returns whether the
// date is usable for comparisons with others (set and valid).
func checkDate(ps *Problems, field string, d Date, required bool, today Date) bool {
	switch {
	case d.IsZero():
		if required {
			ps.Add(field, ErrRequired)
		}
		return false
	case !d.Valid():
		ps.AddWorded(field, ErrInvalid, "不是有效日期", "not a real calendar date")
		return false
	case d.After(today):
		ps.AddWorded(field, ErrFuture, fmt.Sprintf("%s 晚于今天（%s）", d, today), fmt.Sprintf("%s is after %s", d, today))
		return false
	}
	return true
}
