# Council papers write dates as "31 March 2022".
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g.i a"
SHORT_DATE_FORMAT = "d/m/Y"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
