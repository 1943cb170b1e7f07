package ui

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/app/prefs"
	"github.com/ringside/ringside/audio"
)

// libraryPage lists the audio items (names, greetings, outgoing messages)
// with play, rename, remove and "use for"; it makes new ones by recording
// from the microphone (with a live level meter), importing a file or
// text-to-speech. Everything runs in the App, off the Fyne thread.
type libraryPage struct {
	a   *app.App
	w   fyne.Window
	log *slog.Logger

	state    *widget.Label
	list     *widget.List
	items    []app.Item
	selected int
	acts     []*widget.Button // need a selection
	stop     *widget.Button
	playing  context.CancelFunc
	wg       sync.WaitGroup
}

func newLibraryPage(a *app.App, w fyne.Window, log *slog.Logger) *libraryPage {
	return &libraryPage{a: a, w: w, log: log, selected: -1}
}

// kinds are the item kinds, as the dialogs offer them.
var kinds = []string{app.KindGreeting, app.KindMessage, app.KindName}

var kindNames = map[string]string{app.KindGreeting: "Voicemail greeting", app.KindMessage: "Outgoing message", app.KindName: "Recorded name"}

// uses are the settings an item can be used for.
var uses = []struct{ key, label string }{
	{"voicemail.outgoing_message", "Voicemail greeting"},
	{"forwarding.outgoing_message", "Forwarding message"},
	{"personalization.name_recording", "Recorded name"},
}

func (p *libraryPage) buildUI() fyne.CanvasObject {
	p.state = widget.NewLabel("")
	p.state.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(func() int { return len(p.items) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(itemLine(p.items[i])) })
	p.list.OnSelected = func(i widget.ListItemID) { p.selected = i; p.updateButtons() }
	p.list.OnUnselected = func(widget.ListItemID) { p.selected = -1; p.updateButtons() }
	play := widget.NewButtonWithIcon("Play", theme.MediaPlayIcon(), p.play)
	p.stop = widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), p.stopPlaying)
	p.stop.Disable()
	rename := widget.NewButtonWithIcon("Rename…", theme.DocumentCreateIcon(), p.rename)
	use := widget.NewButtonWithIcon("Use for…", theme.ConfirmIcon(), p.useFor)
	remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), p.remove)
	remove.Importance = widget.DangerImportance
	record := widget.NewButtonWithIcon("Record…", theme.MediaRecordIcon(), p.record)
	imp := widget.NewButtonWithIcon("Import file…", theme.FolderOpenIcon(), p.importFile)
	tts := widget.NewButtonWithIcon("Text to speech…", theme.DocumentIcon(), p.speak)
	p.acts = []*widget.Button{play, rename, use, remove}
	p.updateButtons()
	head := widget.NewLabelWithStyle("Audio library", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	top := container.NewVBox(head,
		container.NewHBox(record, imp, tts),
		container.NewHBox(play, p.stop, rename, use, remove),
		p.state)
	return container.NewPadded(container.NewBorder(top, nil, nil, nil, p.list))
}

func itemLine(it app.Item) string {
	src := map[string]string{app.SourceRecorded: "recorded", app.SourceUploaded: "imported", app.SourceTTS: "text-to-speech"}[it.Source]
	if src == "" {
		src = it.Source
	}
	return fmt.Sprintf("%s — %s, %s, %.1f s", it.Name, strings.ToLower(kindNames[it.Kind]), src, it.Duration.Seconds())
}

func (p *libraryPage) updateButtons() {
	for _, b := range p.acts {
		if p.selected >= 0 && p.selected < len(p.items) {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (p *libraryPage) shown() { p.reload("") }

// reload reads the items again; msg, when set, is shown afterwards.
func (p *libraryPage) reload(msg string) {
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		items, err := p.a.Items(ctx)
		fyne.Do(func() {
			switch {
			case err != nil:
				p.state.SetText("The audio library could not be read: " + err.Error())
			case msg != "":
				p.state.SetText(msg)
			case len(items) == 0:
				p.state.SetText("No audio items yet: record one, import a file or use text to speech.")
			default:
				p.state.SetText(fmt.Sprintf("%d item(s).", len(items)))
			}
			p.items = items
			p.selected = -1
			p.list.UnselectAll()
			p.list.Refresh()
			p.updateButtons()
		})
	})
}

// do runs fn off the Fyne thread, shows an error or done, and reloads.
func (p *libraryPage) do(done string, fn func(context.Context) error) {
	p.state.SetText("Working…")
	background(&p.wg, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := fn(ctx); err != nil {
			fyne.Do(func() { dialog.ShowError(err, p.w) })
			done = ""
		}
		p.reload(done)
	})
}

// wait waits for the work in flight.
func (p *libraryPage) wait() { p.wg.Wait() }

func (p *libraryPage) current() (app.Item, bool) {
	if p.selected < 0 || p.selected >= len(p.items) {
		return app.Item{}, false
	}
	return p.items[p.selected], true
}

func (p *libraryPage) play() {
	it, ok := p.current()
	if !ok {
		return
	}
	p.stopPlaying()
	ctx, cancel := context.WithTimeout(context.Background(), it.Duration+10*time.Second)
	p.playing = cancel
	p.stop.Enable()
	p.state.SetText("Playing “" + it.Name + "”…")
	background(&p.wg, func() {
		defer cancel()
		err := p.a.PlayItem(ctx, it.ID, "")
		fyne.Do(func() {
			p.stop.Disable()
			switch {
			case err != nil && ctx.Err() == nil:
				p.state.SetText("“" + it.Name + "” could not be played: " + err.Error())
			default:
				p.state.SetText("")
			}
		})
	})
}

func (p *libraryPage) stopPlaying() {
	if p.playing != nil {
		p.playing()
		p.playing = nil
	}
}

func (p *libraryPage) rename() {
	it, ok := p.current()
	if !ok {
		return
	}
	e := widget.NewEntry()
	e.SetText(it.Name)
	dialog.ShowForm("Rename", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", e)}, func(ok bool) {
		if ok {
			name := e.Text
			p.do("Renamed.", func(ctx context.Context) error { return p.a.RenameItem(ctx, it.ID, name) })
		}
	}, p.w)
}

func (p *libraryPage) remove() {
	it, ok := p.current()
	if !ok {
		return
	}
	dialog.ShowConfirm("Remove", "Remove “"+it.Name+"” from the library?", func(ok bool) {
		if ok {
			p.do("Removed “"+it.Name+"”.", func(ctx context.Context) error { return p.a.RemoveItem(ctx, it.ID) })
		}
	}, p.w)
}

// useFor chooses the item in a setting: voicemail greeting, forwarding
// message or recorded name (saved at once, as the choice is the action).
func (p *libraryPage) useFor() {
	it, ok := p.current()
	if !ok {
		return
	}
	labels := make([]string, len(uses))
	for i, u := range uses {
		labels[i] = u.label
	}
	sel := widget.NewSelect(labels, nil)
	for i, k := range kinds {
		if k == it.Kind {
			sel.SetSelectedIndex(i)
		}
	}
	dialog.ShowForm("Use “"+it.Name+"” for", "Use", "Cancel", []*widget.FormItem{widget.NewFormItem("Use for", sel)}, func(ok bool) {
		i := sel.SelectedIndex()
		if !ok || i < 0 {
			return
		}
		u := uses[i]
		p.do("“"+it.Name+"” is now your "+strings.ToLower(u.label)+".", func(ctx context.Context) error {
			_, err := p.a.SetPrefs(ctx, prefs.Change{Key: u.key, Value: it.ID})
			return err
		})
	}, p.w)
}

// newItemForm returns the name and kind entries of a new item's dialog.
func newItemForm(name string) (*widget.Entry, *widget.Select, []*widget.FormItem) {
	n := widget.NewEntry()
	n.SetText(name)
	labels := make([]string, len(kinds))
	for i, k := range kinds {
		labels[i] = kindNames[k]
	}
	k := widget.NewSelect(labels, nil)
	k.SetSelectedIndex(0)
	return n, k, []*widget.FormItem{widget.NewFormItem("Name", n), widget.NewFormItem("Kind", k)}
}

func (p *libraryPage) importFile() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		name, kind, items := newItemForm(base)
		dialog.ShowForm("Import "+filepath.Base(path), "Import", "Cancel", items, func(ok bool) {
			if ok {
				n, k := name.Text, kinds[kind.SelectedIndex()]
				p.do("Imported “"+n+"”.", func(ctx context.Context) error {
					_, err := p.a.ImportItem(ctx, path, n, k)
					return err
				})
			}
		}, p.w)
	}, p.w)
}

func (p *libraryPage) speak() {
	text := widget.NewMultiLineEntry()
	text.SetPlaceHolder("Hello, you have reached…")
	name, kind, items := newItemForm("")
	items = append([]*widget.FormItem{widget.NewFormItem("Text", text)}, items...)
	d := dialog.NewForm("Text to speech", "Make", "Cancel", items, func(ok bool) {
		if ok {
			t, n, k := text.Text, name.Text, kinds[kind.SelectedIndex()]
			p.do("Made “"+n+"” with text to speech.", func(ctx context.Context) error {
				_, err := p.a.SpeakItem(ctx, t, n, k)
				return err
			})
		}
	}, p.w)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// record asks for a name and a kind, then records from the microphone
// (audio.input_device) with a live level meter until Stop; then the user
// plays it back, keeps it (trimmed and normalised) or discards it.
func (p *libraryPage) record() {
	name, kind, items := newItemForm("")
	dialog.ShowForm("Record", "Start recording", "Cancel", items, func(ok bool) {
		if ok {
			p.recording(name.Text, kinds[kind.SelectedIndex()])
		}
	}, p.w)
}

func (p *libraryPage) recording(name, kind string) {
	level := widget.NewProgressBar()
	level.TextFormatter = func() string { return "" }
	info := widget.NewLabel("Starting the microphone…")
	ctx, cancel := context.WithCancel(context.Background())
	var (
		rec *audio.Recording
		buf *audio.Buffer
	)
	stop := widget.NewButtonWithIcon("Stop", theme.MediaStopIcon(), nil)
	play := widget.NewButtonWithIcon("Play back", theme.MediaPlayIcon(), nil)
	keep := widget.NewButtonWithIcon("Keep", theme.ConfirmIcon(), nil)
	keep.Importance = widget.HighImportance
	discard := widget.NewButtonWithIcon("Discard", theme.CancelIcon(), nil)
	play.Disable()
	keep.Disable()
	stop.Disable()
	content := container.NewVBox(info, level, container.NewHBox(stop, play, keep, discard))
	dlg := dialog.NewCustomWithoutButtons("Recording “"+name+"”", content, p.w)
	dlg.Resize(fyne.NewSize(460, 0))
	finish := func(msg string) {
		cancel()
		dlg.Hide()
		if msg != "" {
			p.state.SetText(msg)
		}
	}
	var once sync.Once // Stop, the limit or a lost device: the first one counts
	stopped := func(b *audio.Buffer, err error) {
		once.Do(func() {
			fyne.Do(func() {
				buf = b
				stop.Disable()
				if b == nil || b.Duration() <= 0 {
					info.SetText("Nothing was recorded" + errSuffix(err) + ".")
					return
				}
				info.SetText(fmt.Sprintf("Recorded %.1f s%s. Play it back, keep it or discard it.", b.Duration().Seconds(), errSuffix(err)))
				play.Enable()
				keep.Enable()
			})
		})
	}
	stop.OnTapped = func() {
		stop.Disable()
		r := rec
		background(&p.wg, func() { stopped(r.Stop()) })
	}
	play.OnTapped = func() {
		b := buf
		background(&p.wg, func() {
			if err := p.a.PlayRecording(ctx, b, ""); err != nil && ctx.Err() == nil {
				fyne.Do(func() { info.SetText("Could not play it back: " + err.Error()) })
			}
		})
	}
	keep.OnTapped = func() {
		b := buf
		finish("")
		p.do("Kept “"+name+"”.", func(ctx context.Context) error {
			_, err := p.a.KeepRecording(ctx, name, kind, b)
			return err
		})
	}
	discard.OnTapped = func() {
		if r := rec; r != nil && buf == nil {
			background(&p.wg, func() { r.Stop() })
		}
		finish("Recording discarded.")
	}
	dlg.Show()
	levels := func(l audio.Level) {
		v := min(max((l.RMS+60)/60, 0), 1) // -60 dBFS .. 0 dBFS
		el := l.Elapsed.Round(time.Second)
		fyne.Do(func() {
			level.SetValue(v)
			info.SetText(fmt.Sprintf("Recording… %d:%02d", int(el/time.Minute), int(el%time.Minute/time.Second)))
		})
	}
	background(&p.wg, func() {
		r, err := p.a.StartRecording(ctx, "", levels)
		fyne.Do(func() {
			if err != nil {
				info.SetText("The microphone could not be opened: " + err.Error())
				return
			}
			rec = r
			stop.Enable()
		})
		if err == nil {
			// The limit (audio.MaxDuration) or a lost device ends it too.
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				<-r.Done()
				stopped(r.Wait())
			}()
		}
	})
}

func errSuffix(err error) string {
	if err == nil {
		return ""
	}
	return " (" + err.Error() + ")"
}
