package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// CadreFile is everything the office holds about one cadre on a day: the
// record and what the rules make of it, the 1对5 pair, the visits made and
// due, hospital stays, help cases, Party branch and dues, and the
// four-nearby answer.
type CadreFile struct {
	Cadre cadre.Cadre
	// On is the day the file is for.
	On cadre.Date
	// Age is the cadre's age on On; Needs the reasons the cadre needs
	// special care, highest tier first.
	Age   int
	Needs []cadre.Need
	// Gaps are the fields not yet filled in (未填) that a rule waits on.
	Gaps []cadre.Gap
	// Pairs are the cadre's 1对5 pairs, the one in force (if any) first,
	// with the helpers' names in HelperNames.
	Pairs       []care.Pair
	HelperNames map[uuid.UUID]string
	// Helper is the helper paired on On, uuid.Nil when none is.
	Helper uuid.UUID
	// Visits are the visits made, the latest first.
	Visits []care.Visit
	// Dues are the visits owed around On, made or not, in Schedule's order.
	Dues []care.Due
	// Stays are the hospital stays, the latest first.
	Stays []care.HospitalStay
	// HelpCases are the help cases, the latest first.
	HelpCases []care.HelpCase
	// Memberships are the Party branch memberships, the latest first, with
	// the branches' names in BranchNames (a branch not held here has none).
	Memberships []branch.Membership
	BranchNames map[uuid.UUID]string
	// Dues position, for a Party member: nil for a cadre never a member.
	Arrears *branch.ArrearsStatus
	// Nearby is the four-nearby answer.
	Nearby Nearby
}

// FileOfCadre reads everything about the live cadre id as of on, in
// one read of the replica's state per kind of record. A cadre not held
// here returns syncsvc.ErrNotFound, a removed one syncsvc.ErrVoided.
func FileOfCadre(ctx context.Context, rep *store.Replica, id uuid.UUID, on cadre.Date) (CadreFile, error) {
	f, err := fileOfCadre(ctx, rep, id, on)
	if err != nil {
		return CadreFile{}, fmt.Errorf("cadre %s: %w", id, err)
	}
	return f, nil
}

func fileOfCadre(ctx context.Context, rep *store.Replica, id uuid.UUID, on cadre.Date) (CadreFile, error) {
	c, err := rep.Cadre(ctx, id)
	if err != nil {
		return CadreFile{}, err
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return CadreFile{}, err
	}
	f := CadreFile{Cadre: c, On: on, Age: c.Age(on), Needs: c.Needs(on, rules.Policy), Gaps: c.Gaps(), BranchNames: map[uuid.UUID]string{}}
	rec, err := rep.ScheduleRecords(ctx, id)
	if err != nil {
		return CadreFile{}, err
	}
	f.Pairs = slices.Clone(rec.Pairs)
	slices.SortStableFunc(f.Pairs, func(a, b care.Pair) int {
		if a.InForce(on) != b.InForce(on) {
			if a.InForce(on) {
				return -1
			}
			return 1
		}
		return b.From.Compare(a.From)
	})
	f.Helper = HelperOn(rec.Pairs, on)
	if f.HelperNames, err = HelperNames(ctx, rep); err != nil {
		return CadreFile{}, err
	}
	f.Dues = care.Schedule(c, rec, on, rules.Schedule)
	if f.Visits, err = rep.Visits(ctx, store.VisitFilter{CadreID: id}); err != nil {
		return CadreFile{}, err
	}
	slices.Reverse(f.Visits)
	if f.Stays, err = rep.HospitalStays(ctx, id); err != nil {
		return CadreFile{}, err
	}
	slices.SortFunc(f.Stays, func(a, b care.HospitalStay) int { return b.Admitted.Compare(a.Admitted) })
	if f.HelpCases, err = rep.HelpCases(ctx, store.HelpFilter{CadreID: id}); err != nil {
		return CadreFile{}, err
	}
	slices.Reverse(f.HelpCases)
	if f.Memberships, err = rep.Memberships(ctx, store.MembershipFilter{CadreID: id}); err != nil {
		return CadreFile{}, err
	}
	slices.Reverse(f.Memberships)
	for _, m := range f.Memberships {
		b, err := rep.Branch(ctx, m.BranchID)
		switch {
		case err == nil:
			f.BranchNames[m.BranchID] = b.Name
		case !errors.Is(err, syncsvc.ErrNotFound) && !errors.Is(err, syncsvc.ErrVoided):
			return CadreFile{}, err
		}
	}
	if len(f.Memberships) > 0 {
		views, err := arrears(ctx, rep, ArrearsInput{CadreID: id, On: on})
		if err != nil {
			return CadreFile{}, err
		}
		if len(views) > 0 {
			f.Arrears = &views[0].Status
		}
	}
	if f.Nearby, err = FourNearby(ctx, rep, id, on); err != nil {
		return CadreFile{}, err
	}
	return f, nil
}
