package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// block is one cadre of the week's list and the lines of its visits.
type block struct {
	head  string
	dues  []string
	index int
}

// weekBlocks splits the week's list into cadres.
func weekBlocks(t *testing.T, out, heading string) []block {
	t.Helper()
	var bs []block
	for _, l := range section(t, out, heading, "")[1:] {
		if strings.HasPrefix(l, "  ") {
			require.NotEmpty(t, bs, "a visit before any cadre: %q", l)
			bs[len(bs)-1].dues = append(bs[len(bs)-1].dues, l)
			continue
		}
		bs = append(bs, block{head: l, index: len(bs)})
	}
	return bs
}

func blockOf(t *testing.T, bs []block, name string) block {
	t.Helper()
	for _, b := range bs {
		if strings.HasPrefix(b.head, name+"  ") {
			return b
		}
	}
	t.Fatalf("no cadre %s in the week's list", name)
	return block{}
}

func TestWeekChinese(t *testing.T) {
	out := output(t, "--on", "2026-11-28")
	const heading = "本周应走访（2026-11-28 至 2026-12-04）"
	assert.Contains(t, out, "\n"+heading+"：逾期 4 项，待走访 7 项，已完成 10 项\n")
	bs := weekBlocks(t, out, heading)
	require.Len(t, bs, 17)

	assert.Equal(t, "赵德明  第3档  帮扶人 张志强", bs[0].head, "the cadre with the oldest overdue visit comes first")
	assert.Equal(t, []string{
		"  逾期  重阳节走访  应于 2026-10-18（2026-10-04 至 2026-10-25）",
		"  逾期  月度电话或视频联系  应于 2026-10-31（2026-10-01 至 2026-10-31）",
		"  待走访  月度电话或视频联系  应于 2026-11-30（2026-11-01 至 2026-11-30）",
	}, bs[0].dues)
	for name, want := range map[string][]string{
		"曹秀珍": {"  逾期  逢十寿辰（90岁）  应于 2026-11-10（2026-10-27 至 2026-11-17）"},
		"冯志刚": {"  已完成  吊唁慰问  应于 2026-11-28（2026-11-25 至 2026-11-28）  2026-11-27 吊唁慰问（张志强）"},
		"郭长青": {"  待走访  住院探望  应于 2026-11-29（2026-11-26 至 2026-11-29）"},
		"唐淑贞": {
			"  待走访  出院回访  应于 2026-11-30（2026-11-23 至 2026-11-30）",
			"  已完成  月度电话或视频联系  应于 2026-11-30（2026-11-01 至 2026-11-30）  2026-11-13 电话或视频联系（李红梅）",
		},
		"林美华": {
			"  待走访  长期住院每月探望  应于 2026-11-30（2026-11-01 至 2026-11-30）",
			"  已完成  月度电话或视频联系  应于 2026-11-30（2026-11-01 至 2026-11-30）  2026-11-19 电话或视频联系（张志强）",
		},
		"王建国": {"  待走访  月度电话或视频联系  应于 2026-11-30（2026-11-01 至 2026-11-30）"},
		"马学军": {"  待走访  逢十寿辰（80岁）  应于 2026-12-01（2026-11-17 至 2026-12-08）"},
		"彭秉义": {"  待走访  逢十寿辰（80岁）  应于 2026-12-03（2026-11-19 至 2026-12-10）"},
	} {
		assert.Equal(t, want, blockOf(t, bs, name).dues, name)
	}
	assert.Equal(t, "冯志刚  去世 2026-11-25", blockOf(t, bs, "冯志刚").head)
	assert.Equal(t, "郑庆云  第5档  未结对", blockOf(t, bs, "郑庆云").head)
	assert.Equal(t, "彭秉义  无需结对", blockOf(t, bs, "彭秉义").head)
	assertOverdueFirst(t, bs, "  逾期  ")
}

// assertOverdueFirst checks that every cadre with an overdue visit comes
// before every cadre without, and that each cadre's overdue visits come
// before the others.
func assertOverdueFirst(t *testing.T, bs []block, overdue string) {
	t.Helper()
	lastWith, firstWithout := -1, len(bs)
	for _, b := range bs {
		require.NotEmpty(t, b.dues, b.head)
		has := false
		for i, l := range b.dues {
			if strings.HasPrefix(l, overdue) {
				has = true
				assert.True(t, i == 0 || strings.HasPrefix(b.dues[i-1], overdue), "%s: an overdue visit after another: %q", b.head, l)
			}
		}
		if has {
			lastWith = b.index
		} else {
			firstWithout = min(firstWithout, b.index)
		}
	}
	assert.Greater(t, lastWith, -1, "some visit is overdue")
	assert.Less(t, lastWith, firstWithout)
}

func TestFestivals(t *testing.T) {
	t.Run("Spring Festival 2027", func(t *testing.T) {
		out := output(t, "--on", "2027-02-01")
		const line = "  待走访  春节走访  应于 2027-02-06（2027-01-23 至 2027-02-13）"
		// Every cadre on the roll: 51 less 冯志刚 (died) and 陈玉梅 (moved).
		assert.Equal(t, 49, strings.Count(out, line+"\n"))
		bs := weekBlocks(t, out, "本周应走访（2027-02-01 至 2027-02-07）")
		dues := blockOf(t, bs, "孙振华").dues
		assert.Equal(t, line, dues[len(dues)-1], "the visit due latest comes last")
		assertOverdueFirst(t, bs, "  逾期  ")
	})
	t.Run("Double Ninth 2026", func(t *testing.T) {
		out := output(t, "--on", "2026-10-16")
		const heading = "本周应走访（2026-10-16 至 2026-10-22）"
		assert.Contains(t, out, heading+"：逾期 0 项，待走访 2 项，已完成 48 项\n")
		bs := weekBlocks(t, out, heading)
		assert.Len(t, bs, 50, "冯志刚 was alive on 2026-10-16; 陈玉梅 had moved")
		assert.Equal(t, []string{"  待走访  重阳节走访  应于 2026-10-18（2026-10-04 至 2026-10-25）"}, blockOf(t, bs, "赵德明").dues)
		assert.Equal(t, []string{"  待走访  重阳节走访  应于 2026-10-18（2026-10-04 至 2026-10-25）"}, blockOf(t, bs, "郑庆云").dues)
		assert.Equal(t, []string{"  已完成  重阳节走访  应于 2026-10-18（2026-10-04 至 2026-10-25）  2026-10-16 节日走访（张志强）"},
			blockOf(t, bs, "冯志刚").dues)
		// Before 赵国栋 left, his pairs were in force and nothing ended
		// but the pair of the cadre who recovered.
		assert.Contains(t, out, "赵国栋  名额 5，已结对 5 人\n")
		assert.Equal(t, []string{"解除的结对", "  潘建新  帮扶人 刘芳  2026-10-16 起解除：不再需要结对"}, section(t, out, "解除的结对", "未结对"))
	})
}
