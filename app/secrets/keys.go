package secrets

// SIPKey is the key of the SIP password of user at domain:
// "sip:<user>@<domain>".
func SIPKey(user, domain string) string { return "sip:" + user + "@" + domain }

// MailboxKey is the key of the voicemail mailbox password (PIN) of user at
// domain: "mailbox:<user>@<domain>".
func MailboxKey(user, domain string) string { return "mailbox:" + user + "@" + domain }

// AccountKey is the key of the Ringside account password of user at domain:
// "account:<user>@<domain>".
func AccountKey(user, domain string) string { return "account:" + user + "@" + domain }

// SMTPKey is the key of the SMTP password of user on the mail server host:
// "smtp:<user>@<host>".
func SMTPKey(user, host string) string { return "smtp:" + user + "@" + host }
