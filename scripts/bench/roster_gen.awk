# roster_gen.awk - the deterministic province-sized roster of scripts/bench-roster.sh
# (plain POSIX awk: no rand(), so gawk and mawk print the same bytes). Run with
# `awk -v mode=M [-v from=F -v n=N -v changed=1] -f roster_gen.awk </dev/null`:
#   mode=orgs      one line per org: "town<TAB>t<TAB>name", then the town's schools,
#                  "school<TAB>t<TAB>code<TAB>name"
#   mode=roster    the roster CSV (UTF-8, header row) of students from .. from+n-1;
#                  changed=1 prints the same students with their 类别 changed (留守
#                  added or taken away), so that every row of a re-import is a change
#   mode=pairings  the pairing register CSV (附件3 columns) of those students: most
#                  have one helper of their school, some two, some none
# Sizes (-v): towns (400), schools_per_town (50), per_school (students, 100),
# staff_per_school (20). Student i is at school int(i / per_school); its ID number is
# unique: area 4301xx, a birth date from 2010-01-01 on and a serial (a bijection of
# i), with the GB 11643 check character.

function init(   i) {
	if (towns == "") towns = 400
	if (schools_per_town == "") schools_per_town = 50
	if (per_school == "") per_school = 100
	if (staff_per_school == "") staff_per_school = 20
	if (from == "") from = 0
	if (n == "") n = towns * schools_per_town * per_school
	total = towns * schools_per_town * per_school
	split("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁", SUR, " ")
	nsur = 36
	split("小 子 浩 宇 欣 怡 佳 俊 晨 雨 思 涵 梓 博 文 杰 婷 轩 然 明 鑫 悦 嘉 琪 瑞 萱 泽 晓 一 可 海 兰 春 秋 华 丽 强 军 平 芳", GIV, " ")
	ngiv = 40
	split("杨家湾 石板沟 大坪 新华 向阳 龙潭 白岩 柳树 青山 中坝 河口 桃园 松林 黄土 双河 高峰", VIL, " ")
	nvil = 16
	split("1 0 X 9 8 7 6 5 4 3 2", CHK, " ")
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", W, " ")
	split("31 28 31 30 31 30 31 31 30 31 30 31", MDAYS, " ")
	split("九年级 八年级 七年级 六年级 五年级 四年级", GRADE, " ")
	for (i = 0; i < 10; i++) DIG[i ""] = i
}

# A mixing of k into 0 .. 2^32-1 (exact in doubles: k < 2^21).
function mix(k) { return (k * 2654435761 + 12345) % 4294967296 }

function person_name(k,   h, g) {
	h = mix(k)
	g = GIV[int(h / 64) % ngiv + 1]
	if (h % 4 != 0) g = g GIV[int(h / 4096) % ngiv + 1]
	return SUR[h % nsur + 1] g
}

function town_name(t) { return sprintf("基准%03d镇教管中心", t + 1) }
function school_name(s) { return sprintf("基准%03d镇第%02d学校", int(s / schools_per_town) + 1, s % schools_per_town + 1) }
function school_code(s) { return sprintf("36%08d", s + 1) }

# The date d days after 2010-01-01, as YYYYMMDD.
function birth_ymd(d,   y, m, len) {
	y = 2010
	for (;;) {
		len = (y % 4 == 0) ? 366 : 365
		if (d < len) break
		d -= len; y++
	}
	for (m = 1; m <= 12; m++) {
		len = MDAYS[m] + (m == 2 && y % 4 == 0)
		if (d < len) break
		d -= len
	}
	return sprintf("%04d%02d%02d", y, m, d + 1)
}

function id_number(i,   j, body, s, k) {
	j = (i * 7919) % total        # a bijection of 0 .. total-1 (7919 is prime, total is not its multiple)
	body = sprintf("4301%02d%s%03d", int(j / 1000) % 100, birth_ymd(int(j / 1000) % 2000), j % 1000)
	s = 0
	for (k = 1; k <= 17; k++) s += DIG[substr(body, k, 1)] * W[k]
	return body CHK[s % 11 + 1]
}

# 2010 births are in 九年级 in the school year 2026/27, 2015 births in 四年级.
function grade_of(id,   y) {
	y = substr(id, 7, 4) + 0
	return GRADE[y - 2010 + 1]
}

function categories(i, changed,   h, c, left) {
	h = mix(i + 7777777) % 100
	c = h < 72 ? "建档立卡" : h < 94 ? "防返贫监测" : "低保"
	left = (h % 7 == 3)
	if (changed) left = !left
	return left ? c "、留守" : c
}

function roster(   i, s, id, hh) {
	print "姓名,身份证号,学校标识码,年级,类别,是否寄宿,户主,家庭住址,入学日期"
	for (i = from; i < from + n && i < total; i++) {
		s = int(i / per_school)
		id = id_number(i)
		hh = (i % 3 == 1) ? i - 1 : i      # every third student shares a household with the one before
		printf "%s,%s,%s,%s,%s,%s,%s,%s%d组,2025-09-01\n", person_name(i), id, school_code(s), grade_of(id),
			categories(i, changed), (mix(i + 99) % 5 == 0) ? "是" : "否", person_name(hh + 5000000),
			VIL[mix(hh) % nvil + 1] "村", mix(hh + 3) % 9 + 1
	}
}

# Student i's helpers: none for 4 in 100, a second one for 3 in 100.
function pairings(   i, s, k, h, id, st) {
	print "帮扶人,工作单位及职务,帮扶学生,学生身份证号,开始日期"
	for (i = from; i < from + n && i < total; i++) {
		h = mix(i + 4242) % 100
		if (h < 4) continue
		s = int(i / per_school)
		k = i % per_school
		id = id_number(i)
		st = s * staff_per_school + k % staff_per_school
		printf "%s,%s教师,%s,%s,2025-09-01\n", person_name(st + 9000000), school_name(s), person_name(i), id
		if (h >= 97) {
			st = s * staff_per_school + (k + 7) % staff_per_school
			printf "%s,%s教师,%s,%s,2025-10-08\n", person_name(st + 9000000), school_name(s), person_name(i), id
		}
	}
}

function orgs(   t, k, s) {
	for (t = 0; t < towns; t++) {
		printf "town\t%d\t%s\n", t, town_name(t)
		for (k = 0; k < schools_per_town; k++) {
			s = t * schools_per_town + k
			printf "school\t%d\t%s\t%s\n", t, school_code(s), school_name(s)
		}
	}
}

BEGIN {
	init()
	if (mode == "orgs") orgs()
	else if (mode == "roster") roster()
	else if (mode == "pairings") pairings()
	else { print "roster_gen.awk: mode must be orgs, roster or pairings" > "/dev/stderr"; exit 2 }
}
