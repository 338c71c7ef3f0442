/* The ring between the synth thread and the device, shared by the device callbacks of
   audio_ring.c (PortAudio) and jack_output.c (JACK); the same ring carries what an input device
   records to the thread that drains it. */
#ifndef TERRAIN_AUDIO_RING_H
#define TERRAIN_AUDIO_RING_H

#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

typedef struct {
    /* Each position on a cache line of its own, so the two sides do not share one. */
    _Alignas(64) _Atomic int64_t written;
    _Alignas(64) _Atomic int64_t read;
    _Alignas(64) _Atomic int64_t underruns;       /* callbacks that found too few frames */
    _Atomic int64_t early_underruns;              /* of those, callbacks that came less than half a period after the one before */
    _Atomic int32_t sample_rate;                  /* the stream's, for a period's length; 0 until told */
    _Atomic int64_t underflow_flags;              /* callbacks the host flagged with a gap */
    _Atomic int64_t frames_played;                /* frames handed to the device, silence included */
    _Atomic int64_t overruns;                     /* capture callbacks whose frames did not all fit (the rest dropped) */
    _Atomic int32_t stopping;                     /* the control thread is stopping the stream */
    _Atomic int32_t finished;                     /* the stream ended without being stopped */
    /* The ring position (frames read) at the newest callback's start and PortAudio's time for when
       that frame reaches the output, in the stream's clock: when a frame of the ring is heard. A
       seqlock: odd while the callback writes the pair. */
    _Atomic int64_t clock_sequence;
    _Atomic int64_t clock_frame;
    _Atomic double clock_dac_time;
    _Atomic int64_t clock_monotonic_ns;           /* CLOCK_MONOTONIC when that callback began */
    sem_t space;
    int64_t capacity;                             /* frames; a power of two */
    int32_t channels;
    float *samples;                               /* capacity * channels, interleaved */
} terrain_ring;

void terrain_ring_pull(terrain_ring *ring, float *out, int64_t frames, int64_t now_ns, double heard_at, int32_t gap);
void terrain_ring_push(terrain_ring *ring, const float *in, int64_t frames, int32_t gap);
void terrain_ring_count_gap(terrain_ring *ring);
int64_t terrain_monotonic_ns(void);

#endif
