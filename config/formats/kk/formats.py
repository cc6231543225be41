# Kazakh number formats: Django ships none for kk (its Russian ones match Kazakh usage):
# a decimal comma and a non-breaking space between thousands, as in 73,8 % and 1 250.
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1  # Monday
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
