package softphone

import (
	"net/url"
	"strings"
)

// Account is one SIP account: where to register and as whom. The password is
// given by the caller (Ringside reads it from the OS keyring) and is never
// logged.
type Account struct {
	// Server is the WebSocket URI of the SIP server: ws://host[:port][/path]
	// or wss://host[:port][/path]. The path is kept as given.
	Server string
	// User is the SIP user part of the address of record (user@Domain).
	User string
	// AuthUser is the digest authentication user; empty means User.
	AuthUser string
	// Domain is the SIP domain; empty means the Server's host.
	Domain string
	// DisplayName is shown to the people called; may be empty.
	DisplayName string
	// Password is the digest password.
	Password string
}

// validate checks the account and returns the parsed server URL and the
// effective domain.
func (a Account) validate() (*url.URL, string, error) {
	u, err := url.Parse(a.Server)
	if err != nil || (u.Scheme != "ws" && u.Scheme != "wss") || u.Host == "" {
		return nil, "", &ConfigError{Field: "server", Value: a.Server, Allow: "a ws:// or wss:// URI such as wss://sip.example.com/ws"}
	}
	if a.User == "" || strings.ContainsAny(a.User, "@:;<> \t\r\n\"") {
		return nil, "", &ConfigError{Field: "user", Value: a.User, Allow: "a non-empty SIP user name without @ : ; < > quotes or spaces"}
	}
	if strings.ContainsAny(a.AuthUser, "\"\r\n") {
		return nil, "", &ConfigError{Field: "auth user", Value: a.AuthUser, Allow: "a user name without quotes or line breaks"}
	}
	if strings.ContainsAny(a.DisplayName, "\"\r\n\\") {
		return nil, "", &ConfigError{Field: "display name", Value: a.DisplayName, Allow: "text without quotes, backslashes or line breaks"}
	}
	domain := a.Domain
	if domain == "" {
		domain = u.Hostname()
	}
	if strings.ContainsAny(domain, "@;<> \t\r\n\"/") {
		return nil, "", &ConfigError{Field: "domain", Value: domain, Allow: "a host name or IP address"}
	}
	return u, domain, nil
}

func (a Account) authUser() string {
	if a.AuthUser != "" {
		return a.AuthUser
	}
	return a.User
}
