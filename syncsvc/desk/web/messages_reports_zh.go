package web

func init() { addWords(messagesZH, reportsZH) }

// reportsZH are the words of 报表.
var reportsZH = words{
	"reports.title":        "报表",
	"reports.on":           "报表日期",
	"reports.show":         "查看",
	"reports.back":         "返回报表",
	"reports.col.report":   "报表",
	"reports.col.about":    "内容",
	"reports.col.download": "下载",
	"reports.xlsx":         "下载 Excel（.xlsx）",
	"reports.allXLSX":      "全部报表下载为一个 Excel 工作簿",
	"reports.allFile":      "本办公室报表",
	"reports.more":         "这里只列出前 %d 行（共 %d 行）：全部内容请下载 Excel。",
	"reports.empty":        "（无）",

	"reports.about.visits":       "逾期和近期到期的走访，按社区和帮扶人",
	"reports.about.pairs":        "1对5结对覆盖情况和帮扶人的负担",
	"reports.about.branches":     "党支部覆盖、支委和换届、漏开的会、未送学上门",
	"reports.about.dues":         "党费欠交，连续欠交最久的在前",
	"reports.about.nearby":       "四就近（就近学习、活动、服务、作贡献）覆盖情况",
	"reports.about.invitations":  "春季座谈会邀请名单",
	"reports.about.completeness": "干部信息缺项，以及需要入户了解的人",
	"reports.about.sync":         "各办公室的同步情况",
}
