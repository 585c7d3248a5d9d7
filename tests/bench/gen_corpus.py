#!/usr/bin/env python3
"""Synthetic seed pages for benchmarks: the bundled seeds' sentences recombined under new names, places and numbers.

In:  the seed pages (`seeds/*.txt`), a random seed, a page or article count.
Out: `<out>/<nnnnnn>_<hash16>.txt`, plain-text newspaper pages laid out like the seeds: masthead, 【section】
     labels, ■bylines, （作者系…） notes, titles before or after their body (or glued to the byline), 本报讯 briefs,
     photo captions, hard wraps on most pages, blank-line-separated paragraphs. Each page holds 3–7 articles
     (about 5 on average); with --articles N the total is exactly N.
Vocabulary grows like a real archive: person names are drawn from surname × given-name pools, places from
syllable pools, numbers and years vary, so every new page brings words never seen before.
`<out>/pages.tsv` lists each page's file stem, layout and article count, so a benchmark can check how many
articles the importer finds per page. Deterministic: the same --seed, count and seed pages give byte-identical files.

Usage: gen_corpus.py --articles 10000 --seed 1 --out /tmp/corpus [--seeds seeds]
"""

import argparse
import hashlib
import random
import re
import sys
from pathlib import Path

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
                "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
                "莫孔向汤") + ["欧阳", "司马", "诸葛", "上官"]
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯健俊帆帅旭宁晨辰阳佳琪"
         "欣怡梓涵子轩雨泽博文思远晓婷丹蕾颖鹏飞志国建新海波峰林森宏伟云龙春梅兰竹菊松柏永胜利德辉庆渝川黔滇"
         "蓉锦江河山川岳嵩峻崇睿哲航骏骁驰晗昕曦晟昊煜炜烨焱淼瀚渊源清泉溪澜沁沛洁晶莹璐瑶琳琦瑜瑾璇珊琼")
SYLLABLES = ("东西南北中上下大小金银铜铁石玉青白红黄绿紫长永安宁平和兴隆昌盛丰富康泰福寿吉祥嘉华荣光明清"
             "秀丽云山水川江河湖溪泉峰岭坪坝沟湾塘桥镇乡村林松竹梅兰桃李杏柳凤龙虎鹤鹿马牛羊花果茶稻麦")
PLACE_SUFFIX = ["区", "县", "镇", "新区", "街道", "园区", "乡"]
REAL_PLACES = ["两江新区", "永川区", "南岸区", "渝北区", "北碚区", "渝中区", "江北区", "沙坪坝区", "九龙坡区",
               "巴南区", "涪陵区", "万州区", "黔江区", "长寿区", "江津区", "合川区", "璧山区", "铜梁区", "大足区",
               "荣昌区", "綦江区", "潼南区", "梁平区", "开州区", "忠县", "云阳县", "奉节县", "巫山县", "石柱县",
               "秀山县", "酉阳县", "彭水县", "武隆区", "垫江县", "城口县", "丰都县", "巫溪县"]
SWAP_PLACES = ["两江新区", "永川区", "南岸区", "渝北区", "北碚区", "渝中区", "潼南", "忠县", "云阳", "荣昌",
               "巫山", "石柱", "成都", "西安", "哈密", "雅安", "果园港", "重庆高新区", "重庆经开区"]
UNIVERSITIES = ["大学", "师范大学", "理工大学", "财经大学", "医科大学", "工商大学", "交通大学", "科技大学"]
SCHOOLS = ["经济学院", "管理学院", "马克思主义学院", "计算机学院", "法学院", "公共管理学院", "人工智能学院",
           "智库研究院", "区域经济研究所", "数字经济研究中心"]
POSITIONS = ["教授", "副教授", "研究员", "副研究员", "院长", "副院长", "博士研究生", "主任", "副主任", "讲师"]
OFFICIALS = ["相关负责人", "副主任", "总经理", "董事长", "副区长", "党工委副书记", "首席专家", "委员"]
ORGS = ["市经济信息委", "市科技局", "市商务委", "市发展改革委", "市大数据发展局", "市教委", "市农业农村委",
        "市文化旅游委", "市中新项目管理局", "市政协经济委"]
LABELS = ["决策建议", "智库对话", "智库圆桌", "专家观点", "理论前沿", "记者手记", "观察", "调研报告"]
TOPICS = {
    "人工智能": ["人工智能", "大模型", "算力", "AI"], "数字经济": ["数字经济", "数字产业", "数字化"],
    "数据要素": ["数据"], "平台经济": ["平台"], "西部陆海新通道": ["陆海新通道", "通道"],
    "成渝地区双城经济圈": ["成渝", "双城"], "对外开放": ["开放", "出海", "外贸"],
    "先进制造业": ["制造业", "智能制造"], "科技创新": ["创新", "科技"], "金融": ["金融", "融资"],
    "人才": ["人才"], "法治": ["法律", "法治"], "文旅": ["旅游", "文旅"], "农业": ["农产品", "柠檬", "农业"],
    "能源": ["电力", "能源", "绿电"],
}
TITLE_VERBS = ["加快推进", "深化", "持续推进", "加快打造", "构建", "携手建设", "高水平共建", "推动", "做强",
               "激活", "全面提升", "培育壮大", "积极探索", "统筹推进"]
TITLE_NOUNS = ["高质量发展", "应用高地", "产业集群", "创新生态", "服务体系", "新格局", "新动能", "协同机制",
               "示范区", "新路径", "核心竞争力", "开放平台"]
SUBHEADS = ["谈差距", "说对策", "看成效", "话未来", "抓落实", "强基础", "优生态", "重应用"]
CLOSE_PUNCT = "，。、；：？！”）》」』"
BAD_SENTENCE = re.compile(r"[■【】●]|摄|作者|记者|编者|上接|下转|制图|数据来源|主持人|嘉宾|重庆日报：")
SPACED_CJK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def read_sentences(seed_dir):
    """Every body-like sentence of the seed pages, hard wraps and layout debris removed."""
    sentences = []
    for path in sorted(Path(seed_dir).glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        joined = SPACED_CJK.sub("", "".join(line.strip() for line in text.splitlines()))
        for s in re.findall(r"[^。！？]*[。！？]", joined):
            s = s.strip()
            if 14 <= len(s) <= 160 and not BAD_SENTENCE.search(s) and "\ufffd" not in s:
                sentences.append(s)
    if not sentences:
        sys.exit(f"error: no sentences found in {seed_dir}/*.txt")
    return sentences


class Generator:
    """Makes names, places, titles, paragraphs and whole pages from one random stream."""

    def __init__(self, rng, sentences):
        self.rng = rng
        self.sentences = sentences
        self.by_topic = {t: [s for s in sentences if any(k in s for k in keys)] or sentences
                         for t, keys in TOPICS.items()}

    def name(self):
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice([1, 2, 2, 2])))

    def place(self):
        r = self.rng
        if r.random() < 0.4:
            return r.choice(REAL_PLACES)
        return r.choice(SYLLABLES) + r.choice(SYLLABLES) + r.choice(PLACE_SUFFIX)

    def affiliation(self):
        r = self.rng
        school = r.choice(SYLLABLES) + r.choice(SYLLABLES) + r.choice(UNIVERSITIES) + r.choice(SCHOOLS)
        text = school + r.choice(POSITIONS)
        if r.random() < 0.3:
            text += "、" + r.choice(["重庆社会科学院", "市综合经济研究院", "西部金融研究院"]) + r.choice(POSITIONS)
        return text

    def number(self, match):
        text, r = match.group(0), self.rng
        if len(text) == 4 and text[:2] in ("19", "20"):
            return str(r.randint(2008, 2035))
        if "." in text:
            whole, frac = text.split(".")
            return f"{r.randint(1, 10 ** len(whole) - 1)}.{r.randint(0, 10 ** len(frac) - 1):0{len(frac)}d}"
        low = 10 ** (len(text) - 1) if len(text) > 1 else 1
        return str(r.randint(low, 10 ** len(text) - 1))

    def vary(self, sentence):
        """A seed sentence with fresh numbers and places, sometimes put in a new speaker's mouth."""
        r = self.rng
        s = NUMBER.sub(self.number, sentence)
        for p in SWAP_PLACES:
            if p in s and r.random() < 0.7:
                s = s.replace(p, self.place())
        if r.random() < 0.12:
            s = f"{self.place()}{r.choice(OFFICIALS)}{self.name()}表示，{s}"
        return s

    def body(self, topic, subheads=False):
        """3–7 paragraphs of 2–5 varied sentences, no sentence twice in one article."""
        r = self.rng
        sizes = [r.randint(2, 5) for _ in range(r.randint(3, 7))]
        topical = self.by_topic[topic]
        picked = r.sample(topical, min(len(topical), sum(sizes) * 2 // 3))
        picked += r.sample(self.sentences, sum(sizes) - len(picked))
        r.shuffle(picked)
        paras, at = [], 0
        for size in sizes:
            paras.append("".join(self.vary(s) for s in picked[at:at + size]))
            at += size
        if subheads and r.random() < 0.5:
            paras.insert(len(paras) // 2, r.choice(SUBHEADS))
        return paras

    def title(self, topic):
        """A headline, sometimes in two parts (main line + 赋能…/助推… line), returned as a list of parts."""
        r = self.rng
        where = r.choice(REAL_PLACES) if r.random() < 0.3 else ""
        main = f"{r.choice(TITLE_VERBS)}{where}{topic}{r.choice(TITLE_NOUNS)}"
        if r.random() < 0.3:
            return [main, f"{r.choice(['赋能', '助推', '服务'])}{r.choice(list(TOPICS))}建设"]
        return [main]

    def caption(self):
        return f"{self.place()}{self.rng.choice(['一角', '现场', '展厅', '生产线'])}。 记者 {self.name()} 摄"

    def article(self, style, label):
        """One article as layout blocks: ('line', text) never wraps, ('para', text) wraps with the page."""
        r = self.rng
        topic = r.choice(list(TOPICS))
        parts = self.title(topic)
        title = " ".join(parts)
        authors = [self.name() for _ in range(r.choice([1, 1, 1, 2]))]
        note = ("line", f"（作者系{self.affiliation()}）")
        paras = [("para", p) for p in self.body(topic, subheads=style == "news")]
        if style == "news":
            if r.random() < 0.4:
                reporter = f"新重庆-重庆日报{r.choice(['记者', '首席记者', '通讯员'])} {authors[0]}"
                first = f"本报讯 （{reporter}）{r.randint(1, 12)}月 {r.randint(1, 28)}日，{paras[0][1]}"
                return [("line", title)] + [("para", first)] + paras[1:]
            byline = [("line", f"■新重庆-重庆日报记者 {authors[0]}")]
            return [("line", title)] + byline + paras + [("line", f"（记者 {authors[0]}）")]
        byline = ("line", "■" + " ".join(authors))
        head = [("line", f"【{label}】")] if label else []
        if style == "roundtable":
            names = [("line", " ".join(authors))] if r.random() < 0.5 else []
            return head + [("line", title)] + names + paras + [note]
        placement = r.random()
        if placement < 0.5:
            return head + [("line", title), byline] + paras + [note]
        if placement < 0.8:
            return head + [byline] + paras + [note, ("line", title)]
        if len(parts) == 2:
            return head + [("line", parts[0]), ("line", parts[1] + byline[1])] + paras + [note]
        return head + [("line", title), byline] + paras + [note]

    def page(self, count):
        """A page of `count` articles in one of the seeds' layouts: (layout name, text)."""
        r = self.rng
        style = r.choice(["think", "think", "roundtable", "news", "news"])
        blocks = []
        if style == "think" and r.random() < 0.5:
            blocks.append(("line", " ■高度 ■深度 ■力度 ■温度周刊 智库思想"))
        if style == "roundtable":
            blocks += [("line", " ".join(self.title(r.choice(list(TOPICS))))), ("line", "【智库圆桌】"),
                       ("para", self.body("科技创新")[0] + "——编者")]
        label = r.choice(LABELS)
        for i in range(count):
            if style != "news" and (i == 0 or r.random() < 0.3):
                label = r.choice(LABELS)
            blocks += self.article(style, label if style != "news" and (i == 0 or r.random() < 0.4) else None)
            if r.random() < 0.25:
                blocks.append(("line", self.caption()))
        width = None if style == "roundtable" else r.randint(12, 20)
        double = style == "news" and r.random() < 0.25
        layout = f"{style}-{'unwrapped' if width is None else 'wrapped'}{'-double' if double else ''}"
        return layout, render(blocks, width, double_spaced=double)


def wrap(text, width):
    """Hard-wraps like a narrow newspaper column; closing punctuation never starts a line."""
    lines, line = [], ""
    for ch in text:
        if len(line) >= width and ch not in CLOSE_PUNCT:
            lines.append(line)
            line = ""
        line += ch
    return lines + [line] if line else lines


def render(blocks, width, double_spaced):
    out = []
    for kind, text in blocks:
        lines = wrap(text, width) if kind == "para" and width else [text]
        out.append("\n\n".join(lines) if double_spaced else "\n".join(lines))
    return "\n\n".join(out) + "\n"


def counts(args, rng):
    """Articles per page: 3–7 each, summing to exactly --articles when given."""
    if args.pages is not None:
        return [rng.randint(3, 7) for _ in range(args.pages)]
    plan, left = [], args.articles
    while left > 0:
        n = min(left, rng.randint(3, 7))
        plan.append(n)
        left -= n
    return plan


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--pages", type=int, help="number of pages (3–7 articles each)")
    group.add_argument("--articles", type=int, help="exact number of articles (about 5 per page)")
    ap.add_argument("--seed", type=int, default=1, help="random seed; same seed, same corpus")
    ap.add_argument("--seeds", default=str(Path(__file__).resolve().parents[2] / "seeds"), help="seed pages")
    ap.add_argument("--out", required=True, help="output folder (created; existing *.txt are removed)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    gen = Generator(rng, read_sentences(args.seeds))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.txt"):
        old.unlink()
    plan = counts(args, rng)
    manifest = ["stem\tlayout\tarticles"]
    for i, n in enumerate(plan):
        layout, text = gen.page(n)
        stem = f"{i:06d}_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"
        (out / f"{stem}.txt").write_text(text, encoding="utf-8")
        manifest.append(f"{stem}\t{layout}\t{n}")
    (out / "pages.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    print(f"{len(plan)} pages, {sum(plan)} articles in {out}")


if __name__ == "__main__":
    main()
