"""What follows the department's decision: the decision record, 公示, payment orders, municipal reports."""
