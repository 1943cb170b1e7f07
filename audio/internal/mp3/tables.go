// Copyright 2017 Hajime Hoshi (go-mp3 v0.3.4, from which this is derived)
// Copyright 2026 the Ringside authors (changes: see NOTICE.md)
// Licensed under the Apache License, Version 2.0; see LICENSE beside this file.

package mp3

import "math"

// sfBandLong and sfBandShort are the scalefactor band boundaries, indexed
// [lsf][rate index] (go-mp3's SfBandIndices; its comments called the rate
// index "layer").
var sfBandLong = [2][3][23]int{
	{
		{0, 4, 8, 12, 16, 20, 24, 30, 36, 44, 52, 62, 74, 90, 110, 134, 162, 196, 238, 288, 342, 418, 576},
		{0, 4, 8, 12, 16, 20, 24, 30, 36, 42, 50, 60, 72, 88, 106, 128, 156, 190, 230, 276, 330, 384, 576},
		{0, 4, 8, 12, 16, 20, 24, 30, 36, 44, 54, 66, 82, 102, 126, 156, 194, 240, 296, 364, 448, 550, 576},
	},
	{
		{0, 6, 12, 18, 24, 30, 36, 44, 54, 66, 80, 96, 116, 140, 168, 200, 238, 284, 336, 396, 464, 522, 576},
		{0, 6, 12, 18, 24, 30, 36, 44, 54, 66, 80, 96, 114, 136, 162, 194, 232, 278, 332, 394, 464, 540, 576},
		{0, 6, 12, 18, 24, 30, 36, 44, 54, 66, 80, 96, 116, 140, 168, 200, 238, 284, 336, 396, 464, 522, 576},
	},
}

var sfBandShort = [2][3][14]int{
	{
		{0, 4, 8, 12, 16, 22, 30, 40, 52, 66, 84, 106, 136, 192},
		{0, 4, 8, 12, 16, 22, 28, 38, 50, 64, 80, 100, 126, 192},
		{0, 4, 8, 12, 16, 22, 30, 42, 58, 78, 104, 138, 180, 192},
	},
	{
		{0, 4, 8, 12, 18, 24, 32, 42, 56, 74, 100, 132, 174, 192},
		{0, 4, 8, 12, 18, 26, 36, 48, 62, 80, 104, 136, 180, 192},
		{0, 4, 8, 12, 18, 26, 36, 48, 62, 80, 104, 134, 174, 192},
	},
}

var pretab = [22]int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3, 2, 0}

// powtab34[i] is i^(4/3), as go-mp3 computed it.
var powtab34 = func() (t [8207]float64) {
	for i := range t {
		t[i] = math.Pow(float64(i), 4.0/3.0)
	}
	return
}()

// pow2Offset centres pow2q: pow2q[k+pow2Offset] is 2^(k/4), the value
// go-mp3 got from math.Pow(2, k/4) for every k a frame can produce
// (-400 to 45).
const pow2Offset = 512

var pow2q = func() (t [640]float64) {
	for i := range t {
		t[i] = math.Pow(2, float64(i-pow2Offset)*0.25)
	}
	return
}()

// Intensity stereo ratios tan(is_pos*pi/12) for is_pos 0 to 5.
var isRatios = [6]float32{0.000000, 0.267949, 0.577350, 1.000000, 1.732051, 3.732051}

// Antialias butterflies.
var (
	aliasCS = [8]float32{0.857493, 0.881742, 0.949629, 0.983315, 0.995518, 0.999161, 0.999899, 0.999993}
	aliasCA = [8]float32{-0.514496, -0.471732, -0.313377, -0.181913, -0.094574, -0.040966, -0.014199, -0.003700}
)
