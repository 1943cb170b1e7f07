package ui

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Library is what the audio library page needs of the audio library. The
// lead wires the real one into Options.Library; until then the page says so.
type Library interface {
	List(ctx context.Context) ([]LibraryItem, error)
	Play(ctx context.Context, id string) error
	Rename(ctx context.Context, id, name string) error
	Remove(ctx context.Context, id string) error
	// Import converts an audio file (WAV, MP3, OGG Vorbis, FLAC) into a new item.
	Import(ctx context.Context, path, name string) error
	// Speak makes a new item from text with the system's text-to-speech.
	Speak(ctx context.Context, text, name string) error
}

// LibraryItem is one item of the audio library.
type LibraryItem struct {
	ID, Name, Kind, Source string
	Duration               time.Duration
}

// libraryPage lists the audio items (names, greetings, outgoing messages)
// with play, rename and remove, and makes new ones by recording, import or
// text-to-speech.
type libraryPage struct {
	lib Library
	w   fyne.Window
	log *slog.Logger

	state    *widget.Label
	list     *widget.List
	items    []LibraryItem
	selected int
	acts     []*widget.Button // need a selection
	makers   []*widget.Button // need a library
	wg       sync.WaitGroup
}

func newLibraryPage(lib Library, w fyne.Window, log *slog.Logger) *libraryPage {
	return &libraryPage{lib: lib, w: w, log: log, selected: -1}
}

func (p *libraryPage) buildUI() fyne.CanvasObject {
	p.state = widget.NewLabel("")
	p.state.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(func() int { return len(p.items) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			it := p.items[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s  (%s, %s, %s)", it.Name, it.Kind, it.Source, it.Duration.Round(100*time.Millisecond)))
		})
	p.list.OnSelected = func(i widget.ListItemID) { p.selected = i; p.updateButtons() }
	p.list.OnUnselected = func(widget.ListItemID) { p.selected = -1; p.updateButtons() }
	play := widget.NewButtonWithIcon("Play", theme.MediaPlayIcon(), func() { p.withSelected(p.lib.Play) })
	rename := widget.NewButtonWithIcon("Rename…", theme.DocumentCreateIcon(), p.rename)
	remove := widget.NewButtonWithIcon("Remove", theme.DeleteIcon(), p.remove)
	remove.Importance = widget.DangerImportance
	record := widget.NewButtonWithIcon("Record…", theme.MediaRecordIcon(), nil)
	record.Disable() // needs the microphone recorder with a live level meter
	imp := widget.NewButtonWithIcon("Import file…", theme.FolderOpenIcon(), p.importFile)
	tts := widget.NewButtonWithIcon("Text to speech…", theme.DocumentIcon(), p.speak)
	p.acts = []*widget.Button{play, rename, remove}
	p.makers = []*widget.Button{imp, tts}
	p.updateButtons()
	head := widget.NewLabelWithStyle("Audio library", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bar := container.NewHBox(play, rename, remove, widget.NewSeparator(), record, imp, tts)
	return container.NewPadded(container.NewBorder(container.NewVBox(head, bar, p.state), nil, nil, nil, p.list))
}

func (p *libraryPage) updateButtons() {
	for _, b := range p.acts {
		if p.lib != nil && p.selected >= 0 {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	for _, b := range p.makers {
		if p.lib != nil {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

func (p *libraryPage) shown() {
	if p.lib == nil {
		p.state.SetText("The audio library is not connected in this build: no recordings, imports or text-to-speech items yet.")
		return
	}
	p.reload()
}

func (p *libraryPage) reload() {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		items, err := p.lib.List(ctx)
		fyne.Do(func() {
			switch {
			case err != nil:
				p.state.SetText("The audio library could not be read: " + err.Error())
			case len(items) == 0:
				p.state.SetText("No audio items yet: record one, import a file or use text-to-speech.")
			default:
				p.state.SetText("")
			}
			p.items = items
			p.selected = -1
			p.list.UnselectAll()
			p.list.Refresh()
			p.updateButtons()
		})
	}()
}

// do runs fn off the Fyne thread, shows an error, and reloads the list.
func (p *libraryPage) do(fn func(context.Context) error) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := fn(ctx); err != nil {
			fyne.Do(func() { dialog.ShowError(err, p.w) })
		}
		p.reload()
	}()
}

func (p *libraryPage) withSelected(fn func(context.Context, string) error) {
	if p.selected < 0 || p.selected >= len(p.items) {
		return
	}
	id := p.items[p.selected].ID
	p.do(func(ctx context.Context) error { return fn(ctx, id) })
}

func (p *libraryPage) rename() {
	if p.selected < 0 {
		return
	}
	it := p.items[p.selected]
	e := widget.NewEntry()
	e.SetText(it.Name)
	dialog.ShowForm("Rename", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", e)}, func(ok bool) {
		if ok {
			p.do(func(ctx context.Context) error { return p.lib.Rename(ctx, it.ID, e.Text) })
		}
	}, p.w)
}

func (p *libraryPage) remove() {
	if p.selected < 0 {
		return
	}
	it := p.items[p.selected]
	dialog.ShowConfirm("Remove", "Remove “"+it.Name+"” from the library?", func(ok bool) {
		if ok {
			p.do(func(ctx context.Context) error { return p.lib.Remove(ctx, it.ID) })
		}
	}, p.w)
}

func (p *libraryPage) importFile() {
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path, name := r.URI().Path(), r.URI().Name()
		r.Close()
		p.do(func(ctx context.Context) error { return p.lib.Import(ctx, path, name) })
	}, p.w)
}

func (p *libraryPage) speak() {
	text, name := widget.NewMultiLineEntry(), widget.NewEntry()
	dialog.ShowForm("Text to speech", "Make", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Text", text), widget.NewFormItem("Name", name)}, func(ok bool) {
			if ok {
				t, n := text.Text, name.Text
				p.do(func(ctx context.Context) error { return p.lib.Speak(ctx, t, n) })
			}
		}, p.w)
}
