# Templates write dates as {{ value|date:"DATE_FORMAT" }}: 2020年7月20日 in Chinese,
# 20 July 2020 in English. Anything not set here falls back to Django's English formats.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
TIME_FORMAT = "H:i"
