"""The ``yusuan`` command line.

Subcommands live in ``yusuan.commands.<name>`` and are imported only when called, so that
``yusuan --help`` starts fast (no PDF, database or web library is imported for it).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from typing import Any

import click

#: name → (module in yusuan.commands, one-line help shown by ``yusuan --help``).
COMMANDS: dict[str, tuple[str, str]] = {
    "parse": ("parse", "读取公开文件，输出结构化模型（JSON）或数据（CSV）"),
    "audit": ("audit", "审核公开文件，输出发现的问题"),
    "catalog": ("catalog", "查询支出功能分类和经济分类科目"),
    "rules": ("rules", "列出全部审核规则"),
    "template": ("template", "生成空白预算填报工作簿（Excel）"),
    "render": ("render", "由预算填报文件生成公开文件（HTML/PDF/XLSX/DOCX/Markdown）"),
    "ingest": ("ingest", "读取并审核文件，存入数据库"),
    "query": ("query", "在数据库上运行只读 SQL"),
    "report": ("report", "内置分析报告（部门对比、历年变化、异常值、图表）"),
    "export": ("export", "导出数据（CSV、Parquet、Excel、Fiscal Data Package）"),
    "synth": ("synth", "生成合成预算文件语料（测试与基准用）"),
    "serve": ("serve", "启动网页应用"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [n for n in COMMANDS if self._available(n)]

    @staticmethod
    def _available(name: str) -> bool:
        return importlib.util.find_spec(f"yusuan.commands.{COMMANDS[name][0]}") is not None

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not self._available(cmd_name):
            return None
        module = importlib.import_module(f"yusuan.commands.{COMMANDS[cmd_name][0]}")
        command: click.Command = module.command
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, COMMANDS[n][1]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("命令"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="yusuan")
def cli() -> None:
    """yusuan（预算）：部门预决算公开文件的读取、审核、编制与分析工具。"""


def main(argv: list[str] | None = None) -> Any:
    return cli.main(args=argv, prog_name="yusuan")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
