"""Recompute open provisional deadlines on the revised provisional calendar (D6 revised).

A year without its official notice used to be counted on weekends alone; it now also
rests on the fixed statutory holidays of 放假办法 Art. 2 (元旦, 春节 除夕 to 初三, 清明,
劳动节, 端午, 中秋, 国庆). Open deadlines that this moves (a provisional 2027 deadline
on 1 January, say) move, with the reason in history; the rest are untouched.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.db import migrations

REASON = "暂定日历更正(D6):未公布安排的年度按周末及法定节假日计算,届满日 {old}→{new}({version})"


def recompute_provisional(apps: Any, schema_editor: Any) -> None:
    law = importlib.import_module("cases.migrations.0003_recompute_deadlines_under_law_in_force")
    law.recompute_under_law_in_force(apps, schema_editor, reason=REASON)


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_d11_trigger_facts")]

    operations = [migrations.RunPython(recompute_provisional, migrations.RunPython.noop, elidable=True)]
