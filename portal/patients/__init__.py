"""The family side: choosing a child, redeeming enrolment codes, child logins."""
