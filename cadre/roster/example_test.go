package roster_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
)

func ExampleRead() {
	const csv = `姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区,基本离退休费(元),备注
王建国,370102194403150012,退休,2004/4/1,科级,正式党员,慢性病,独居,sy,5123.4,
李秀英,3.70103E+17,退休,2005-07-01,其他,非党员,良好,与子女同住,sy,4800,
,370102192809010037,离休,1988-10-01,副县处级及以上,正式党员,重病,独居,gsq,-1,已故?
`
	asOf := time.Date(2026, 11, 28, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	res, err := roster.Read(strings.NewReader(csv), asOf)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, row := range res.Rows {
		c := row.Cadre
		fmt.Println(row.Line, c.Name, c.BirthDate, c.Gender, c.PensionFen, cadre.MaskIDNumber(c.IDNumber))
	}
	for _, e := range res.Errors {
		fmt.Println(e)
	}
	fmt.Println("ignored:", res.UnknownColumns)
	// Output:
	// 2 王建国 1944-03-15 male 512340 370102********0012
	// line 3: id_number: invalid resident ID number: Excel stored it as a number and lost digits; format the 身份证号 column as text (设置单元格格式 → 文本) and re-enter the numbers
	// line 4: name: is required; fill in this column
	// line 4: pension_fen: invalid value: the pension may not be negative
	// ignored: [备注]
}

func ExampleWrite() {
	c := cadre.Cadre{
		Name: "王建国", IDNumber: "370102194403150012", Category: cadre.Tuixiu,
		RetiredOn: cadre.NewDate(2004, 4, 1), Rank: cadre.RankSection, Party: cadre.PartyFull,
		Health: cadre.HealthChronic, Living: cadre.LivingAlone, Community: "sy", PensionFen: 512340,
	}
	c.Normalize()
	var buf strings.Builder
	if err := roster.Write(&buf, []cadre.Cadre{c}, cadre.English); err != nil {
		fmt.Println(err)
		return
	}
	csv, bom := strings.CutPrefix(buf.String(), "\uFEFF")
	fmt.Println("starts with a BOM:", bom)
	fmt.Print(csv)
	// Output:
	// starts with a BOM: true
	// name,gender,id_number,birth_date,category,retired_on,rank,party,party_joined_on,health,living,children_nearby,living_difficulty,community,address,lat,lng,phone,emergency_contact,original_unit,pension_yuan,status,status_on
	// 王建国,male,370102194403150012,1944-03-15,tuixiu,2004-04-01,section,full,,chronic,alone,false,false,sy,,,,,,,5123.40,active,
}

func ExampleFieldHeader() {
	fmt.Println(roster.FieldHeader("pension_fen", cadre.Chinese), roster.FieldHeader("pension_fen", cadre.English))
	// Output:
	// 基本离退休费(元) pension_yuan
}
