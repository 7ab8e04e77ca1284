"""The caseworker desk: what caseworkers do to referrals, independent of the web."""
