//go:build linux

package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"
	"github.com/godbus/dbus/v5/prop"
)

// The StatusNotifierWatcher of the KDE/freedesktop tray protocol, as a
// desktop's tray host runs it.
const (
	watcherName  = "org.kde.StatusNotifierWatcher"
	watcherPath  = dbus.ObjectPath("/StatusNotifierWatcher")
	watcherIface = "org.kde.StatusNotifierWatcher"
	itemIface    = "org.kde.StatusNotifierItem"
	menuIface    = "com.canonical.dbusmenu"
)

// sniItem is a tray item as registered with the watcher.
type sniItem struct {
	Service string          // the bus name to call
	Path    dbus.ObjectPath // the item's object
}

func (i sniItem) String() string { return i.Service + string(i.Path) }

// trayHost is a fake tray host on the session bus: it owns
// org.kde.StatusNotifierWatcher, says a host is registered, and records the
// items that register. It shows nothing; the test drives the items' menus.
type trayHost struct {
	conn  *dbus.Conn
	props *prop.Properties
	reg   chan sniItem

	mu    sync.Mutex
	items []string
}

// startTrayHost puts a tray host on the session bus until the test ends.
func startTrayHost(t *testing.T) *trayHost {
	t.Helper()
	conn := sessionBus(t)
	h := &trayHost{conn: conn, reg: make(chan sniItem, 16)}
	if err := conn.Export(h, watcherPath, watcherIface); err != nil {
		t.Fatal(err)
	}
	props, err := prop.Export(conn, watcherPath, prop.Map{watcherIface: {
		"IsStatusNotifierHostRegistered": {Value: true, Emit: prop.EmitTrue},
		"RegisteredStatusNotifierItems":  {Value: []string{}, Emit: prop.EmitTrue},
		"ProtocolVersion":                {Value: int32(0), Emit: prop.EmitTrue},
	}})
	if err != nil {
		t.Fatal(err)
	}
	h.props = props
	node := &introspect.Node{Name: string(watcherPath), Interfaces: []introspect.Interface{
		introspect.IntrospectData, prop.IntrospectData,
		{Name: watcherIface, Methods: introspect.Methods(h), Properties: props.Introspection(watcherIface)},
	}}
	if err := conn.Export(introspect.NewIntrospectable(node), watcherPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(watcherName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking %s on the session bus: reply %v, %v (another tray host runs on this bus?)", watcherName, reply, err)
	}
	t.Cleanup(func() { conn.ReleaseName(watcherName) })
	return h
}

// RegisterStatusNotifierItem is the watcher's method: service is the item's
// bus name, or its object path on the caller's connection (what
// fyne.io/systray sends).
func (h *trayHost) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	it := sniItem{Service: service, Path: "/StatusNotifierItem"}
	if strings.HasPrefix(service, "/") {
		it = sniItem{Service: string(sender), Path: dbus.ObjectPath(service)}
	}
	h.mu.Lock()
	h.items = append(h.items, it.String())
	items := append([]string(nil), h.items...)
	h.mu.Unlock()
	h.props.SetMust(watcherIface, "RegisteredStatusNotifierItems", items)
	h.conn.Emit(watcherPath, watcherIface+".StatusNotifierItemRegistered", it.String())
	select {
	case h.reg <- it:
	default:
	}
	return nil
}

// RegisterStatusNotifierHost is the watcher's method for hosts; this one is
// the only host.
func (h *trayHost) RegisterStatusNotifierHost(service string) *dbus.Error { return nil }

// waitItem returns the next item that registers.
func (h *trayHost) waitItem(t *testing.T, d time.Duration) sniItem {
	t.Helper()
	select {
	case it := <-h.reg:
		return it
	case <-time.After(d):
		t.Fatalf("no tray item registered with the watcher within %v", d)
		return sniItem{}
	}
}

// sessionBus returns a private connection to the session bus, closed when
// the test ends.
func sessionBus(t *testing.T) *dbus.Conn {
	t.Helper()
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		t.Fatalf("session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.Auth(nil); err != nil {
		t.Fatalf("session bus: %v", err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatalf("session bus: %v", err)
	}
	return conn
}

// menuEntry is one entry of a dbusmenu layout.
type menuEntry struct {
	ID       int32
	Label    string
	Enabled  bool
	Children []menuEntry
}

// trayMenu is the dbusmenu of a tray item, as a tray host reads it.
type trayMenu struct {
	obj dbus.BusObject
}

// itemMenu returns the menu the item points to (its Menu property).
func itemMenu(t *testing.T, conn *dbus.Conn, it sniItem) trayMenu {
	t.Helper()
	v, err := conn.Object(it.Service, it.Path).GetProperty(itemIface + ".Menu")
	if err != nil {
		t.Fatalf("tray item %s: Menu: %v", it, err)
	}
	p, ok := v.Value().(dbus.ObjectPath)
	if !ok || !p.IsValid() {
		t.Fatalf("tray item %s: Menu = %v, want an object path", it, v)
	}
	return trayMenu{obj: conn.Object(it.Service, p)}
}

// layout returns the menu's revision and its top-level entries.
func (m trayMenu) layout() (uint32, []menuEntry, error) {
	var rev uint32
	var root struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	if err := m.obj.Call(menuIface+".GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root); err != nil {
		return 0, nil, err
	}
	kids, err := menuChildren(root.Children)
	return rev, kids, err
}

func menuChildren(vs []dbus.Variant) ([]menuEntry, error) {
	var out []menuEntry
	for _, v := range vs {
		f, ok := v.Value().([]any)
		if !ok || len(f) != 3 {
			return nil, fmt.Errorf("menu entry %v: not (ia{sv}av)", v)
		}
		id, _ := f[0].(int32)
		props, _ := f[1].(map[string]dbus.Variant)
		e := menuEntry{ID: id, Enabled: true}
		if l, ok := props["label"].Value().(string); ok {
			e.Label = l
		}
		if en, ok := props["enabled"].Value().(bool); ok {
			e.Enabled = en
		}
		kids, _ := f[2].([]dbus.Variant)
		var err error
		if e.Children, err = menuChildren(kids); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// find returns the menu's revision and the ID of its entry labelled label,
// waiting up to d for the menu to have it.
func (m trayMenu) find(t *testing.T, label string, d time.Duration) (uint32, int32) {
	t.Helper()
	deadline := time.Now().Add(d)
	var labels []string
	for {
		rev, entries, err := m.layout()
		if err != nil {
			t.Fatalf("tray menu: GetLayout: %v", err)
		}
		labels = labels[:0]
		for _, e := range entries {
			if e.Label == label && e.Enabled {
				return rev, e.ID
			}
			labels = append(labels, e.Label)
		}
		if time.Now().After(deadline) {
			t.Fatalf("tray menu has no enabled entry %q within %v; it has %q", label, d, labels)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// click sends the entry the "clicked" event, as a tray host does when the
// user chooses it.
func (m trayMenu) click(t *testing.T, id int32) {
	t.Helper()
	if err := m.obj.Call(menuIface+".Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())).Err; err != nil {
		t.Fatalf("tray menu: Event(%d, clicked): %v", id, err)
	}
}

// choose clicks the entry labelled label, then waits up to d for done to
// say it took effect. The app rebuilds its menu (with new IDs) on every
// status change; a click that raced such a rebuild is sent again, once.
func (m trayMenu) choose(t *testing.T, label string, d time.Duration, done func() bool) {
	t.Helper()
	rev, id := m.find(t, label, 5*time.Second)
	m.click(t, id)
	if waitFor(d, done) {
		return
	}
	if rev2, id2 := m.find(t, label, time.Second); rev2 != rev && id2 != id {
		t.Logf("tray menu changed (revision %d -> %d) around the click on %q; clicking again", rev, rev2, label)
		m.click(t, id2)
		if waitFor(d, done) {
			return
		}
	}
	t.Fatalf("clicking %q in the tray menu had no effect within %v", label, d)
}

// waitFor polls cond every 20 ms until it holds (true) or d has passed (false).
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}
