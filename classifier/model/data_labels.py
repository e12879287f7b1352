"""The labelled data's fraud-type labels (as in ../shared/data) that the synthetic generators
give their scams, so that the type heads learn them as the data's own rows of that type."""

from __future__ import annotations

from typing import Final

POLICE: Final = "冒充公检法"
REFUND: Final = "冒充客服退款"
LOAN: Final = "虚假贷款"
ACQUAINTANCE: Final = "冒充领导熟人"
INVESTMENT: Final = "虚假投资理财"
REBATE: Final = "刷单返利"
BANK_PHISHING: Final = "钓鱼短信-冒充银行"
PLATFORM_PHISHING: Final = "钓鱼短信-冒充运营商/平台"
PORN: Final = "色情服务引流"
GAMBLING: Final = "网络赌博"
