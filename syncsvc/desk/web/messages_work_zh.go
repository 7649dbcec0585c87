package web

func init() { addWords(messagesZH, workZH) }

// workZH are the words the working sections share: choosing a cadre in a
// form, dates, a record not held here.
var workZH = words{
	"pick.hint":        "输入姓名、拼音首字母或身份证号",
	"pick.missing":     "请填写干部的姓名或身份证号",
	"pick.several":     "有 %d 位干部叫“%s”：请在下面选一位",
	"pick.choose":      "没有叫“%s”的干部：是下面哪一位？请选一位",
	"pick.many":        "有 %d 位干部与“%s”相符，下面列出前 %d 位：请选一位，或输入全名、身份证号",
	"pick.none":        "本机没有找到干部“%s”：请核对姓名，或输入身份证号",
	"pick.born":        "%d年生",
	"pick.orType":      "或者在下面的框里输入另一位干部。",
	"pick.dateMissing": "请填写日期",
	"pick.dateBad":     "“%s”不是日期：写成 2026-11-28 这样",
	"work.notHeld":     "（不在本机）",
}
