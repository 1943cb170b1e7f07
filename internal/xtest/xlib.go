//go:build cgo && (linux || freebsd || netbsd || openbsd || dragonfly)

package xtest

/*
#cgo pkg-config: x11
#include <stdlib.h>
#include <string.h>
#include <X11/Xlib.h>
#include <X11/Xatom.h>

// Xlib's default error handler exits the process; this one keeps the last
// error code for the Go side to read after XSync. The handler is global to
// the process, so every call is serialised by xlibMu.
static int xtest_last_error;

static int xtest_on_error(Display *d, XErrorEvent *e) {
	(void)d;
	xtest_last_error = e->error_code;
	return 0;
}

static void xtest_install_handler(void) { XSetErrorHandler(xtest_on_error); }

static int xtest_take_error(void) {
	int e = xtest_last_error;
	xtest_last_error = 0;
	return e;
}

static int xtest_map_state(Display *d, Window w) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, w, &a)) return -1;
	return a.map_state;
}

// xtest_send_delete sends w the ClientMessage a window manager sends when
// the user clicks the close button (ICCCM 4.2.8.1).
static int xtest_send_delete(Display *d, Window w, Atom protocols, Atom del) {
	XEvent ev;
	memset(&ev, 0, sizeof ev);
	ev.xclient.type = ClientMessage;
	ev.xclient.window = w;
	ev.xclient.message_type = protocols;
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = (long)del;
	ev.xclient.data.l[1] = CurrentTime;
	return XSendEvent(d, w, False, NoEventMask, &ev);
}

// xtest_next_map returns the window of the next MapNotify among the pending
// events (1), or 0 when no MapNotify is pending; other events are dropped.
static int xtest_next_map(Display *d, Window *w) {
	while (XPending(d) > 0) {
		XEvent ev;
		XNextEvent(d, &ev);
		if (ev.type == MapNotify) {
			*w = ev.xmap.window;
			return 1;
		}
	}
	return 0;
}

// xtest_children returns the root's children (free with XFree) and their
// count in *n.
static Window *xtest_children(Display *d, Window root, unsigned int *n) {
	Window r, p, *kids = NULL;
	if (!XQueryTree(d, root, &r, &p, &kids, n)) {
		*n = 0;
		return NULL;
	}
	return kids;
}

static Window xtest_child(Window *kids, unsigned int i) { return kids[i]; }

// xtest_property reads a property of any type; *n is its length in items
// of *format bits (8, 16 or 32; 32-bit items are longs in Xlib's buffer).
static unsigned char *xtest_property(Display *d, Window w, Atom prop, int *format, unsigned long *n) {
	Atom type;
	unsigned long after;
	unsigned char *data = NULL;
	if (XGetWindowProperty(d, w, prop, 0, 1024, False, AnyPropertyType, &type, format, n, &after, &data) != Success) {
		*n = 0;
		return NULL;
	}
	if (type == None) {
		if (data) XFree(data);
		*n = 0;
		return NULL;
	}
	return data;
}

static long xtest_long(unsigned char *data, unsigned long i) { return ((long *)data)[i]; }

// xtest_create makes an unmapped top-level window titled title (WM_NAME and
// _NET_WM_NAME) that declares process pid (_NET_WM_PID).
static Window xtest_create(Display *d, Window root, const char *title, long pid, Atom net_name, Atom utf8, Atom net_pid) {
	Window w = XCreateSimpleWindow(d, root, 0, 0, 64, 48, 0, 0, 0);
	XStoreName(d, w, title);
	XChangeProperty(d, w, net_name, utf8, 8, PropModeReplace, (const unsigned char *)title, (int)strlen(title));
	XChangeProperty(d, w, net_pid, XA_CARDINAL, 32, PropModeReplace, (const unsigned char *)&pid, 1);
	return w;
}
*/
import "C"

import (
	"fmt"
	"os"
	"sync"
	"unsafe"
)

// xlibMu serialises every Xlib call of the process: the error handler and
// its last error are global.
var xlibMu sync.Mutex

// Display is a connection to an X server. Its methods are safe for
// concurrent use.
type Display struct {
	d     *C.Display
	root  C.Window
	atoms map[string]C.Atom
}

// Open connects to the X server name ("" for $DISPLAY).
func Open(name string) (*Display, error) {
	if name == "" {
		name = os.Getenv("DISPLAY")
	}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	xlibMu.Lock()
	defer xlibMu.Unlock()
	C.xtest_install_handler()
	d := C.XOpenDisplay(cname)
	if d == nil {
		return nil, fmt.Errorf("%w %q", ErrNoDisplay, name)
	}
	return &Display{d: d, root: C.XDefaultRootWindow(d), atoms: map[string]C.Atom{}}, nil
}

// Close disconnects from the X server.
func (x *Display) Close() error {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return ErrClosed
	}
	C.XCloseDisplay(x.d)
	x.d = nil
	return nil
}

// atom interns name; call with xlibMu held.
func (x *Display) atom(name string) C.Atom {
	if a, ok := x.atoms[name]; ok {
		return a
	}
	cname := C.CString(name)
	defer C.free(unsafe.Pointer(cname))
	a := C.XInternAtom(x.d, cname, C.False)
	x.atoms[name] = a
	return a
}

// check waits for the server to answer everything sent so far and returns
// the error it answered, if any; call with xlibMu held.
func (x *Display) check(op string, w Window) error {
	C.XSync(x.d, C.False)
	if code := int(C.xtest_take_error()); code != 0 {
		return &XError{Op: op, Window: w, Code: code}
	}
	return nil
}

// TopLevel returns the root window's children: the top-level windows when
// no window manager reparents them (as under a bare Xvfb).
func (x *Display) TopLevel() ([]Window, error) {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return nil, ErrClosed
	}
	var n C.uint
	kids := C.xtest_children(x.d, x.root, &n)
	if kids == nil {
		return nil, x.check("QueryTree", Window(x.root))
	}
	defer C.XFree(unsafe.Pointer(kids))
	out := make([]Window, 0, int(n))
	for i := C.uint(0); i < n; i++ {
		out = append(out, Window(C.xtest_child(kids, i)))
	}
	return out, x.check("QueryTree", Window(x.root))
}

// property returns the raw items of a property (bytes for format 8, longs
// for format 32), nil when the window has none; call with xlibMu held.
func (x *Display) property(w Window, name string) (text []byte, longs []int64, err error) {
	var format C.int
	var n C.ulong
	data := C.xtest_property(x.d, C.Window(w), x.atom(name), &format, &n)
	if err := x.check("GetWindowProperty "+name, w); err != nil {
		if data != nil {
			C.XFree(unsafe.Pointer(data))
		}
		return nil, nil, err
	}
	if data == nil {
		return nil, nil, nil
	}
	defer C.XFree(unsafe.Pointer(data))
	switch format {
	case 8:
		text = C.GoBytes(unsafe.Pointer(data), C.int(n))
	case 32:
		for i := C.ulong(0); i < n; i++ {
			longs = append(longs, int64(C.xtest_long(data, i)))
		}
	}
	return text, longs, nil
}

// Title returns the window's title: _NET_WM_NAME (UTF-8) when set, else
// WM_NAME.
func (x *Display) Title(w Window) (string, error) {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return "", ErrClosed
	}
	for _, p := range []string{"_NET_WM_NAME", "WM_NAME"} {
		b, _, err := x.property(w, p)
		if err != nil {
			return "", err
		}
		if b != nil {
			return string(b), nil
		}
	}
	return "", nil
}

// PID returns the process ID the window's client declared (_NET_WM_PID), or
// 0 when it declared none.
func (x *Display) PID(w Window) (int, error) {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return 0, ErrClosed
	}
	_, l, err := x.property(w, "_NET_WM_PID")
	if err != nil || len(l) == 0 {
		return 0, err
	}
	return int(l[0]), nil
}

// Find returns the top-level windows titled title and, when pid > 0, owned
// by process pid (_NET_WM_PID). Windows that vanish while it looks are left
// out.
func (x *Display) Find(title string, pid int) ([]Window, error) {
	all, err := x.TopLevel()
	if err != nil {
		return nil, err
	}
	var out []Window
	for _, w := range all {
		t, err := x.Title(w)
		if err != nil || t != title {
			continue
		}
		if pid > 0 {
			if p, err := x.PID(w); err != nil || p != pid {
				continue
			}
		}
		out = append(out, w)
	}
	return out, nil
}

// MapState returns whether w is mapped (XGetWindowAttributes' map_state).
func (x *Display) MapState(w Window) (MapState, error) {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return 0, ErrClosed
	}
	s := C.xtest_map_state(x.d, C.Window(w))
	if err := x.check("GetWindowAttributes", w); err != nil {
		return 0, err
	}
	if s < 0 {
		return 0, &XError{Op: "GetWindowAttributes", Window: w, Code: badWindow}
	}
	return MapState(s), nil
}

// DeleteWindow sends w the WM_PROTOCOLS ClientMessage WM_DELETE_WINDOW, as a
// window manager does when the user clicks the window's close button.
func (x *Display) DeleteWindow(w Window) error {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return ErrClosed
	}
	C.xtest_send_delete(x.d, C.Window(w), x.atom("WM_PROTOCOLS"), x.atom("WM_DELETE_WINDOW"))
	return x.check("SendEvent WM_DELETE_WINDOW", w)
}

// WatchMaps starts recording the top-level windows that get mapped (the
// root's MapNotify events); Mapped returns them. Use a Display of its own
// for it: the events queue on this connection.
func (x *Display) WatchMaps() error {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return ErrClosed
	}
	C.XSelectInput(x.d, x.root, C.SubstructureNotifyMask)
	return x.check("SelectInput", Window(x.root))
}

// Mapped returns the top-level windows mapped since the last call (since
// WatchMaps for the first), in order, a window once per map.
func (x *Display) Mapped() ([]Window, error) {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return nil, ErrClosed
	}
	var out []Window
	var w C.Window
	for C.xtest_next_map(x.d, &w) == 1 {
		out = append(out, Window(w))
	}
	return out, x.check("Mapped", Window(x.root))
}

// CreateWindow makes an unmapped top-level window titled title that declares
// this process as its owner (_NET_WM_PID): a window to try the other methods
// on. DestroyWindow removes it.
func (x *Display) CreateWindow(title string) (Window, error) {
	ctitle := C.CString(title)
	defer C.free(unsafe.Pointer(ctitle))
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return 0, ErrClosed
	}
	w := C.xtest_create(x.d, x.root, ctitle, C.long(os.Getpid()), x.atom("_NET_WM_NAME"), x.atom("UTF8_STRING"), x.atom("_NET_WM_PID"))
	return Window(w), x.check("CreateWindow", Window(w))
}

// MapWindow maps (shows) w.
func (x *Display) MapWindow(w Window) error {
	return x.do("MapWindow", w, func() { C.XMapWindow(x.d, C.Window(w)) })
}

// UnmapWindow unmaps (hides) w.
func (x *Display) UnmapWindow(w Window) error {
	return x.do("UnmapWindow", w, func() { C.XUnmapWindow(x.d, C.Window(w)) })
}

// DestroyWindow destroys w.
func (x *Display) DestroyWindow(w Window) error {
	return x.do("DestroyWindow", w, func() { C.XDestroyWindow(x.d, C.Window(w)) })
}

// do runs the request f on w and returns the server's error, if any.
func (x *Display) do(op string, w Window, f func()) error {
	xlibMu.Lock()
	defer xlibMu.Unlock()
	if x.d == nil {
		return ErrClosed
	}
	f()
	return x.check(op, w)
}
