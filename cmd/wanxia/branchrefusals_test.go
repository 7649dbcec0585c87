package main

import (
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
)

// TestBranchRefusalsAreWorded checks the one line a clerk reads when the
// branch rules refuse a request: each is a sentinel error of syncsvc/desk
// that the command words.
func TestBranchRefusalsAreWorded(t *testing.T) {
	o := newBranchOffice(t)
	outsider := testkit.IDNumberFor("370102", "19480101", 31)
	o.addCadre("钱坤", outsider, "sy", "--party", "none", "--pension", "4000")
	dead := testkit.IDNumberFor("370102", "19480101", 33)
	o.addCadre("吴刚", dead, "sy", "--pension", "4000", "--status", "deceased", "--status-on", "2026-10-15")
	poor := testkit.IDNumberFor("370102", "19480101", 35)
	o.addCadre("郑洁", poor, "sy")
	o.ok("branch", "elect", o.branchID, "--on", "2026-10-01", "--secretary", o.numbers["王建国"], "--deputy", o.numbers["李秀英"])
	meeting := struct {
		ID string `json:"id"`
	}{}
	o.okJSON(&meeting, "meeting", "add", "--branch", o.branchID, "--kind", "theme_day", "--on", "2026-11-10", "--present", o.numbers["王建国"])

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"dues", "pay", outsider, "--months", "2026-10"}, 1, "错误：钱坤 不是党员（非党员），不交党费\n"},
		{[]string{"dues", "pay", dead, "--months", "2026-11"}, 1, "错误：吴刚 在 2026-11 已不在册（去世 2026-10-15），该月不交党费：从 --months 中去掉它\n"},
		{[]string{"dues", "pay", poor, "--months", "2026-10"}, 1,
			"错误：没有登记 郑洁 的基本离退休费，算不出党费：用 wanxia office cadre edit --pension 登记，或用 --amount 给出金额\n"},
		{[]string{"branch", "elect", o.branchID, "--on", "2026-10-01", "--secretary", o.numbers["王建国"]}, 1,
			"错误：舜园社区离退休干部党支部 已记录 2026-10-01 当天选出的副书记 李秀英，这次名单中没有这个职务：同一天选出的职务不能在当天结束；请给出包括该职务的完整名单\n"},
		{[]string{"branch", "assess", o.branchID, "--year", "1948", "--on", "2026-11-20"}, 2,
			"用法错误：--year 1948 不对：给出 1949 至 2026 之间的年份；见 wanxia office branch assess --help\n"},
		{[]string{"meeting", "deliver", meeting.ID, o.numbers["赵敏"], "--on", "2026-11-09"}, 2,
			"用法错误：--on 2026-11-09 早于会议日期 2026-11-10：送学上门在会后；见 wanxia office meeting deliver --help\n"},
		{[]string{"dues", "pay", outsider, "--months", "2026-10", "--lang", "en"}, 1,
			"error: 钱坤 is not a Party member (not a member) and pays no dues\n"},
	} {
		res := o.run(tc.args...)
		assert.Equal(t, tc.code, res.code, "%v: %s", tc.args, res.stderr)
		assert.Equal(t, tc.want, res.stderr, "%v", tc.args)
	}
}
