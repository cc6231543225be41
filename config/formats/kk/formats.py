# Kazakh number formats: Django ships none for kk (its Russian ones match Kazakh usage):
# a decimal comma and a non-breaking space between thousands, as in 73,8 % and 1 250.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1  # Monday
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
# Dates as Kazakh documents write them (Django's default "N j, Y" read «Наурыз 5, 2027»).
# Input formats stay Django's defaults (ISO first), which date inputs need.
DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
