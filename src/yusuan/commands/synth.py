"""``yusuan synth N -o DIR``: a synthetic corpus of budget disclosures with a manifest."""

from __future__ import annotations

import click


@click.command(name="synth")
@click.argument("count", type=int)
@click.option("-o", "--output", "out", required=True, help="输出目录")
@click.option("--seed", type=int, default=1, show_default=True, help="随机种子（同一种子生成相同文件）")
@click.option("--error-rate", type=float, default=0.3, show_default=True, help="注入错误的文件比例")
@click.option("--formats", default="md", show_default=True,
              help="轮流使用的格式，逗号分隔（md、xlsx、docx、html、pdf；非 md 格式经渲染模块生成）")
def command(count: int, out: str, seed: int, error_rate: float, formats: str) -> None:
    """生成 N 份合成部门预算公开文件（不同部门、科目、规模、年度；部分注入已知错误），
    并写出 manifest.json（每个文件注入的错误及应报告的审核规则）。"""
    from yusuan.store.synth import generate

    fmts = tuple(f.strip() for f in formats.split(",") if f.strip())
    manifest = generate(count, out, seed=seed, error_rate=error_rate, formats=fmts)
    injected = sum(1 for m in manifest if m["injected"])
    click.echo(f"已生成 {len(manifest)} 个文件（其中 {injected} 个注入错误）：{out}", err=True)
