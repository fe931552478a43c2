"""``kefu eval simulate``: a rule-based simulated shopper plays tasks generated from a shop's own data
(tasks.py), phrased from zh/en banks with typos (phrasing.py), reacting to the bot's replies
(shopper.py); the judge (judge.py) decides from the store and the replies; report.py sums up."""
