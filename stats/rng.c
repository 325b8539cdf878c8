/*
 * Seeded pseudo-random numbers for the bootstrap and for tests.
 *
 * xoshiro256** (Blackman and Vigna) is small, fast and passes BigCrush;
 * its state is filled from the seed with splitmix64, which is the
 * authors' recommended way to seed it and works for any 64-bit seed.
 * Everything is integer arithmetic, so streams are identical on every
 * platform.
 */
#include <math.h>
#include <string.h>

#include "stats.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void rng_seed(struct rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
	/*
	 * Lemire's multiply-and-reject: the high half of a 128-bit product
	 * is uniform on [0, n) once the few biased low halves are rejected.
	 */
	unsigned __int128 m;
	uint64_t lo;

	if (!n)
		return 0;
	m = (unsigned __int128)rng_next(r) * n;
	lo = (uint64_t)m;

	if (lo < n) {
		uint64_t t = -n % n;

		while (lo < t) {
			m = (unsigned __int128)rng_next(r) * n;
			lo = (uint64_t)m;
		}
	}
	return (uint64_t)(m >> 64);
}

double rng_normal(struct rng *r)
{
	/* 1 - u keeps log() away from 0. */
	double u1 = 1.0 - rng_uniform(r);
	double u2 = rng_uniform(r);

	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

uint64_t stats_hash(uint64_t h, const double *x, size_t n)
{
	uint64_t st = h ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(n + 1));

	for (size_t i = 0; i < n; i++) {
		uint64_t bits = 0;
		double v = x[i];

		/* Equal values must hash alike: fold -0.0 into 0.0. */
		if (v != 0.0)
			memcpy(&bits, &v, sizeof(bits));
		st ^= bits;
		st = splitmix64(&st);
	}
	return st;
}
