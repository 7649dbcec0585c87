package main

import (
	"errors"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// stayJSON is a hospital stay and the visit it makes due.
type stayJSON struct {
	ID         uuid.UUID  `json:"id"`
	CadreID    uuid.UUID  `json:"cadre_id"`
	Name       string     `json:"name"`
	Admitted   cadre.Date `json:"admitted"`
	Discharged cadre.Date `json:"discharged"`
	Due        *dueJSON   `json:"due"`
}

// stayJSON is the JSON of a stay recorded, with the visit it makes due.
func (a *app) stayJSON(rec desk.RecordedStay) stayJSON {
	s, c := rec.Stay, rec.Cadre
	out := stayJSON{ID: s.ID, CadreID: c.ID, Name: c.Name, Admitted: s.Admitted, Discharged: s.Discharged}
	if rec.Due != nil {
		j := a.toDueJSON(rec.Due.Due, people{c.ID: c}, rec.HelperNames, rec.Due.Helper)
		out.Due = &j
	}
	return out
}

// stayError words a stay that does not fit the cadre's stays.
func (a *app) stayError(err error, c cadre.Cadre, on cadre.Date) error {
	var se *desk.StayError
	if !errors.As(err, &se) {
		return a.invalid(err, "住院记录", "the hospital stay")
	}
	s := se.Stay
	switch {
	case errors.Is(err, desk.ErrStayOpen):
		return a.fail(nil, "%s 已有 %s 入院的住院记录尚未出院：先用 wanxia office hospital discharge 记录出院，再记新的入院",
			"%s has a stay from %s with no discharge: record it with wanxia office hospital discharge first", c.Name, s.Admitted)
	case errors.Is(err, desk.ErrStayOverlap):
		return a.fail(nil, "%s 在 %s 已在住院中（%s 入院，%s 出院）：检查 --on", "%s was in hospital on %s already (admitted %s, discharged %s): check --on",
			c.Name, on, s.Admitted, s.Discharged)
	case errors.Is(err, desk.ErrNoOpenStay):
		return a.fail(errors.New("no open hospital stay"), "%s 没有未出院的住院记录：先用 wanxia office hospital admit 记录入院",
			"%s has no hospital stay without a discharge: record the admission with wanxia office hospital admit first", c.Name)
	case errors.Is(err, desk.ErrBeforeAdmission):
		return a.usage("--on %s 早于入院日期 %s", "--on %s is before the admission on %s", on, s.Admitted)
	}
	return err
}

// stayOn checks the --on of admit and discharge.
func (a *app) stayOn(cmd *cobra.Command, on cadre.Date) error {
	if !cmd.Flags().Changed("on") {
		return a.usage("缺少选项 --on", "missing --on")
	}
	return a.notAfterToday("--on", on)
}

func (a *app) admitCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("admit CADRE", "Record that a cadre was admitted to hospital; a prompt hospital visit falls due", 1, func(cmd *cobra.Command, args []string) error {
		if err := a.stayOn(cmd, on); err != nil {
			return err
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			rec, err := desk.AdmitToHospital(ctx, r, a.now(), desk.StayInput{CadreID: c.ID, On: on})
			if err != nil {
				return a.stayError(err, c, on)
			}
			out := a.stayJSON(rec)
			due := out.Due
			if asJSON {
				return a.printJSON(out)
			}
			a.printf("已记录 %s 于 %s 入院\n", "recorded that %s was admitted to hospital on %s\n", c.Name, on)
			if due != nil {
				a.printf("应于 %s 前%s；探望后运行 wanxia office visit add %s --kind hospital --on 日期\n",
					"a %[2]s is due by %[1]s; once made, run wanxia office visit add %[3]s --kind hospital --on DATE\n", due.DueOn, due.KindLabel, c.ID)
			}
			return nil
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day of admission")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) dischargeCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("discharge CADRE", "Record that a cadre in hospital went home; a home visit or call falls due", 1, func(cmd *cobra.Command, args []string) error {
		if err := a.stayOn(cmd, on); err != nil {
			return err
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			rec, err := desk.DischargeFromHospital(ctx, r, a.now(), desk.StayInput{CadreID: c.ID, On: on})
			if err != nil {
				return a.stayError(err, c, on)
			}
			out := a.stayJSON(rec)
			s, due := rec.Stay, out.Due
			if asJSON {
				return a.printJSON(out)
			}
			a.printf("已记录 %s 于 %s 出院（%s 入院，住院 %d 天）\n", "recorded that %s went home on %s (admitted %s, %d days)\n",
				c.Name, on, s.Admitted, on.DaysSince(s.Admitted))
			if due != nil {
				a.printf("应于 %s 前%s（入户走访或电话）；之后运行 wanxia office visit add %s --kind home 或 call --on 日期\n",
					"a %[2]s (a home visit or call) is due by %[1]s; then run wanxia office visit add %[3]s --kind home or call --on DATE\n", due.DueOn, due.KindLabel, c.ID)
			}
			return nil
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day of discharge")
	jsonFlag(cmd, &asJSON)
	return cmd
}
