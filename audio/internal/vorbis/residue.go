package vorbis

// residue is a residue of type 0, 1 or 2 (Vorbis I section 8).
type residue struct {
	typ       int
	begin     int
	end       int
	partSize  int
	classes   int
	classbook int
	books     [][8]int // per class, per pass; -1 for none
}

func readResidue(b *bitReader, typ int, books []*codebook) (*residue, error) {
	r := &residue{typ: typ, begin: int(b.read(24)), end: int(b.read(24)),
		partSize: int(b.read(24)) + 1, classes: int(b.read(6)) + 1, classbook: int(b.read(8))}
	if r.classbook >= len(books) || books[r.classbook].dims == 0 {
		return nil, formatErr("residue classbook %d", r.classbook)
	}
	cascade := make([]uint32, r.classes)
	for i := range cascade {
		low := b.read(3)
		var high uint32
		if b.flag() {
			high = b.read(5)
		}
		cascade[i] = high<<3 | low
	}
	r.books = make([][8]int, r.classes)
	for i := range r.books {
		for j := range 8 {
			r.books[i][j] = -1
			if cascade[i]&(1<<j) != 0 {
				r.books[i][j] = int(b.read(8))
				if r.books[i][j] >= len(books) || books[r.books[i][j]].vq == nil {
					return nil, formatErr("residue book %d", r.books[i][j])
				}
			}
		}
	}
	if b.eop {
		return nil, formatErr("setup header cut short")
	}
	return r, nil
}

// decode adds the residue into vs (one vector of n/2 per channel);
// skip[i] marks channels not to decode.
func (r *residue) decode(b *bitReader, books []*codebook, vs [][]float32, skip []bool) {
	if r.typ == 2 {
		any := false
		for _, s := range skip {
			any = any || !s
		}
		if !any {
			return
		}
		ch := len(vs)
		half := len(vs[0])
		flat := make([]float32, half*ch)
		r.decodeVectors(b, books, [][]float32{flat}, []bool{false}, 1)
		for i, v := range flat {
			vs[i%ch][i/ch] += v
		}
		return
	}
	r.decodeVectors(b, books, vs, skip, r.typ)
}

func (r *residue) decodeVectors(b *bitReader, books []*codebook, vs [][]float32, skip []bool, format int) {
	size := len(vs[0])
	begin, end := min(r.begin, size), min(r.end, size)
	if end <= begin {
		return
	}
	parts := (end - begin) / r.partSize
	if parts == 0 {
		return
	}
	cb := books[r.classbook]
	perWord := cb.dims
	class := make([][]int, len(vs))
	for i := range class {
		class[i] = make([]int, parts+perWord)
	}
	for pass := range 8 {
		for p := 0; p < parts; {
			if pass == 0 {
				for j := range vs {
					if skip[j] {
						continue
					}
					t := cb.decode(b)
					if t < 0 {
						return
					}
					for i := perWord - 1; i >= 0; i-- {
						class[j][p+i] = t % r.classes
						t /= r.classes
					}
				}
			}
			for i := 0; i < perWord && p < parts; i++ {
				for j, v := range vs {
					if skip[j] {
						continue
					}
					book := r.books[class[j][p]][pass]
					if book < 0 {
						continue
					}
					bk := books[book]
					off := begin + p*r.partSize
					if format == 0 {
						step := r.partSize / bk.dims
						for k := 0; k < step; k++ {
							vec := bk.vector(b)
							if vec == nil {
								return
							}
							for d, x := range vec {
								v[off+k+d*step] += x
							}
						}
					} else {
						for k := 0; k < r.partSize; {
							vec := bk.vector(b)
							if vec == nil {
								return
							}
							for _, x := range vec {
								if k < r.partSize {
									v[off+k] += x
								}
								k++
							}
						}
					}
				}
				p++
			}
		}
	}
}
