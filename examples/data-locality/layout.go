// Package datalocality compares two layouts of the same records when a loop
// needs one field: an array of structs (AoS) drags every record's other
// fields through the caches with it, a struct of arrays (SoA) reads only
// the bytes it needs.
package datalocality

import "math/rand"

// Person is one record: 16 + 8 + 64 = 88 bytes, of which AverageAgeAoS
// uses 8.  It holds no pointers (the name is a fixed-size array, not a
// string), so the garbage collector never has to scan the 88 MiB of
// records: with a string field, the collections Go's testing package
// forces before each benchmark run scanned them, and that work, different
// in every process, blurred task-clock per op (README.md, "Set-up").
type Person struct {
	Name        [16]byte
	Age         int
	Placeholder [64]byte // stands for the fields a real record would carry
}

// People is the array-of-structs layout.
type People []Person

// PersonDatabase is the struct-of-arrays layout of the same records: field
// i of record j is element j of array i.
type PersonDatabase struct {
	Names        [][16]byte
	Ages         []int
	Placeholders [][64]byte
}

// AverageAgeAoS walks 88 bytes per record to use 8 of them: every cache
// line it loads holds less than one age.
func AverageAgeAoS(people People) float64 {
	if len(people) == 0 {
		return 0
	}
	sum := 0
	for i := range people {
		sum += people[i].Age
	}
	return float64(sum) / float64(len(people))
}

// AverageAgeSoA walks a dense []int: eight ages per 64-byte cache line.
func AverageAgeSoA(db *PersonDatabase) float64 {
	if len(db.Ages) == 0 {
		return 0
	}
	sum := 0
	for _, a := range db.Ages {
		sum += a
	}
	return float64(sum) / float64(len(db.Ages))
}

var names = [...]string{"Ada", "Barbara", "Claude", "Dennis", "Edsger", "Frances", "Grace", "Ken"}

// NewPeople returns n records with ages 18..97 drawn from a fixed seed.
func NewPeople(n int, seed int64) People {
	rng := rand.New(rand.NewSource(seed))
	people := make(People, n)
	for i := range people {
		copy(people[i].Name[:], names[i%len(names)])
		people[i].Age = rng.Intn(80) + 18
		people[i].Placeholder[0] = byte(i)
	}
	return people
}

// NewPersonDatabase returns the same records as NewPeople(n, seed) in the
// struct-of-arrays layout.
func NewPersonDatabase(n int, seed int64) *PersonDatabase {
	rng := rand.New(rand.NewSource(seed))
	db := &PersonDatabase{
		Names:        make([][16]byte, n),
		Ages:         make([]int, n),
		Placeholders: make([][64]byte, n),
	}
	for i := 0; i < n; i++ {
		copy(db.Names[i][:], names[i%len(names)])
		db.Ages[i] = rng.Intn(80) + 18
		db.Placeholders[i][0] = byte(i)
	}
	return db
}
