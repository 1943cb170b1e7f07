// Package assets holds the files Ringside embeds in its binary: icons, tones
// and prompts, one file per kind of asset.
package assets
