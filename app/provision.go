package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/ringside/ringside/app/prefs"
)

// provisioningSourceKey records where the last provisioning document came
// from, so the running app can refresh it. It is kept beside the settings but
// is not one of them.
const provisioningSourceKey = "provisioning.source"

// ErrProvisioning is wrapped by every refusal to fetch or read a provisioning document.
var ErrProvisioning = errors.New("provisioning document refused")

// Provision applies an administrator's provisioning document, read from a
// file or fetched over HTTPS: admin-managed settings and roles included. A bad
// document is refused whole with the reason. It returns notes about
// adjustments the document made to the user's own choices.
func (a *App) Provision(ctx context.Context, source string) ([]string, error) {
	doc, err := a.fetchDocument(ctx, source)
	if err != nil {
		return nil, err
	}
	changes, err := prefs.ParseDocument(doc)
	if err != nil {
		return nil, fmt.Errorf("provisioning document %s: %w", source, err)
	}
	var notes []string
	_, err = a.update(ctx, func(cur prefs.Values) (prefs.Values, map[string]string, error) {
		next, diff, n, err := prefs.Provision(cur, changes, a.env())
		if err != nil {
			return nil, nil, err
		}
		notes = n
		diff[provisioningSourceKey] = source
		return next, diff, nil
	})
	if err != nil {
		return nil, fmt.Errorf("provisioning document %s refused, nothing applied: %w", source, err)
	}
	a.log.Info("provisioned", "source", redactURL(source))
	return notes, nil
}

// RefreshProvisioning applies the last provisioning source again, as desk
// phones re-fetch their configuration. It does nothing when the app was
// never provisioned.
func (a *App) RefreshProvisioning(ctx context.Context) ([]string, error) {
	stored, err := a.store.LoadPrefs(ctx)
	if err != nil {
		return nil, err
	}
	src := stored[provisioningSourceKey]
	if src == "" {
		return nil, nil
	}
	return a.Provision(ctx, src)
}

func (a *App) fetchDocument(ctx context.Context, source string) ([]byte, error) {
	if strings.Contains(source, "://") {
		u, err := url.Parse(source)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("%w: %s is not a valid URL; give a file path or an https:// URL", ErrProvisioning, source)
		}
		if u.Scheme != "https" {
			return nil, fmt.Errorf("%w: %s uses %s; provisioning is fetched only over https:// (it sets your permissions)", ErrProvisioning, redactURL(source), u.Scheme)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, source, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrProvisioning, err)
		}
		req.Header.Set("Accept", "application/json")
		resp, err := a.http.Do(req)
		if err != nil {
			return nil, fmt.Errorf("%w: fetching %s: %v", ErrProvisioning, redactURL(source), err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("%w: %s answered %s", ErrProvisioning, redactURL(source), resp.Status)
		}
		return readLimited(resp.Body, redactURL(source))
	}
	f, err := os.Open(source)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProvisioning, err)
	}
	defer f.Close()
	return readLimited(f, source)
}

func readLimited(r io.Reader, name string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, prefs.MaxDocument+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %v", ErrProvisioning, name, err)
	}
	if len(data) > prefs.MaxDocument {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrProvisioning, name, prefs.MaxDocument)
	}
	return data, nil
}

// redactURL drops user info and query (which may carry tokens) from a URL
// before it is shown or logged.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return s
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = "…"
	}
	return u.String()
}

// StartProvisioningRefresh re-applies the provisioning source every interval
// until Close, as desk phones re-fetch their configuration; failures are
// logged and the settings stay as they were.
func (a *App) StartProvisioningRefresh(every time.Duration) {
	ctx, cancel := context.WithCancel(context.Background())
	a.bg.Add(1)
	a.stopBg = append(a.stopBg, cancel)
	go func() {
		defer a.bg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if notes, err := a.RefreshProvisioning(ctx); err != nil {
					a.log.Warn("provisioning refresh failed; settings unchanged", "err", err)
				} else {
					for _, n := range notes {
						a.log.Info("provisioning", "note", n)
					}
				}
			}
		}
	}()
}
