/*
 * The audio ring and the audio callback of engine/Audio, in C.
 *
 * Why C: the device's real-time thread must never enter the .NET runtime. A managed callback
 * is stopped by every garbage collection (all managed threads are suspended), and the first
 * call on a host thread attaches that thread to the runtime, which alone takes longer than a
 * 2.7 ms period. Written here, the callback touches no managed memory and no runtime code:
 * it copies frames from a single-producer single-consumer ring, counts underruns and wakes
 * the synth thread. An input device's callback does the reverse: it copies what it recorded into
 * such a ring, which a thread of the engine drains. Everything else stays in C#
 * (engine/Audio/AudioRing.cs, AudioOutput.cs, AudioInput.cs).
 *
 * The ring: positions are 64-bit frame counters that never wrap in practice, each owned by
 * one side; the writer publishes frames with a release store of its position after copying
 * them and the reader sees them whole with an acquire load, and the same the other way for
 * freed space. Neither side waits for the other; the writer may sleep on `space`, which the
 * reader posts after taking frames (sem_post is lock-free and async-signal-safe).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio_ring.h"

/* PortAudio's PaStreamCallbackTimeInfo and the flag and result values the callback uses. */
typedef struct { double input_adc, current, output_dac; } pa_time_info;
enum { PA_INPUT_OVERFLOW = 0x2, PA_OUTPUT_UNDERFLOW = 0x4, PA_CONTINUE = 0 };

EXPORT terrain_ring *terrain_ring_create(int64_t capacity, int32_t channels)
{
    if (capacity <= 0 || (capacity & (capacity - 1)) != 0 || channels <= 0) return NULL;
    terrain_ring *ring = aligned_alloc(64, (sizeof(terrain_ring) + 63) / 64 * 64);
    if (ring == NULL) return NULL;
    memset(ring, 0, sizeof *ring);
    ring->samples = calloc((size_t)capacity * (size_t)channels, sizeof(float));
    if (ring->samples == NULL || sem_init(&ring->space, 0, 0) != 0) {
        free(ring->samples);
        free(ring);
        return NULL;
    }
    ring->capacity = capacity;
    ring->channels = channels;
    return ring;
}

EXPORT void terrain_ring_destroy(terrain_ring *ring)
{
    if (ring == NULL) return;
    sem_destroy(&ring->space);
    free(ring->samples);
    free(ring);
}

/* Frames waiting to be read: exact for the reader, a snapshot for anyone else. */
EXPORT int64_t terrain_ring_count(const terrain_ring *ring)
{
    int64_t read = atomic_load_explicit(&ring->read, memory_order_acquire);
    return atomic_load_explicit(&ring->written, memory_order_acquire) - read;
}

/* Writer only: copies up to `frames` whole frames in; returns how many fitted. */
EXPORT int64_t terrain_ring_write(terrain_ring *ring, const float *interleaved, int64_t frames)
{
    int64_t start = atomic_load_explicit(&ring->written, memory_order_relaxed);
    int64_t free_frames = ring->capacity - (start - atomic_load_explicit(&ring->read, memory_order_acquire));
    int64_t count = frames < free_frames ? frames : free_frames;
    int64_t offset = start & (ring->capacity - 1);
    int64_t first = count < ring->capacity - offset ? count : ring->capacity - offset;
    size_t frame_bytes = (size_t)ring->channels * sizeof(float);
    memcpy(ring->samples + offset * ring->channels, interleaved, (size_t)first * frame_bytes);
    memcpy(ring->samples, interleaved + first * ring->channels, (size_t)(count - first) * frame_bytes);
    atomic_store_explicit(&ring->written, start + count, memory_order_release);
    return count;
}

/* Reader only: moves up to `frames` whole frames out; returns how many there were. */
EXPORT int64_t terrain_ring_read(terrain_ring *ring, float *interleaved, int64_t frames)
{
    int64_t start = atomic_load_explicit(&ring->read, memory_order_relaxed);
    int64_t available = atomic_load_explicit(&ring->written, memory_order_acquire) - start;
    int64_t count = frames < available ? frames : available;
    int64_t offset = start & (ring->capacity - 1);
    int64_t first = count < ring->capacity - offset ? count : ring->capacity - offset;
    size_t frame_bytes = (size_t)ring->channels * sizeof(float);
    memcpy(interleaved, ring->samples + offset * ring->channels, (size_t)first * frame_bytes);
    memcpy(interleaved + first * ring->channels, ring->samples, (size_t)(count - first) * frame_bytes);
    atomic_store_explicit(&ring->read, start + count, memory_order_release);
    /* One pending wake-up is enough, and keeps the count bounded when nobody waits. */
    int pending;
    if (count > 0 && sem_getvalue(&ring->space, &pending) == 0 && pending == 0) sem_post(&ring->space);
    return count;
}

/* Writer: sleeps until the reader takes frames or `timeout_us` passes; 1 when woken, 0 otherwise. */
EXPORT int32_t terrain_ring_wait(terrain_ring *ring, int32_t timeout_us)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_nsec += (long)timeout_us * 1000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    while (sem_clockwait(&ring->space, CLOCK_MONOTONIC, &until) != 0)
        if (errno != EINTR) return 0;
    return 1;
}

EXPORT int64_t terrain_ring_underruns(const terrain_ring *ring) { return atomic_load(&ring->underruns); }
EXPORT int64_t terrain_ring_early_underruns(const terrain_ring *ring) { return atomic_load(&ring->early_underruns); }
EXPORT void terrain_ring_set_sample_rate(terrain_ring *ring, int32_t rate) { atomic_store(&ring->sample_rate, rate); }
EXPORT int64_t terrain_ring_underflow_flags(const terrain_ring *ring) { return atomic_load(&ring->underflow_flags); }
EXPORT int64_t terrain_ring_frames_played(const terrain_ring *ring) { return atomic_load(&ring->frames_played); }
EXPORT int32_t terrain_ring_finished(const terrain_ring *ring) { return atomic_load(&ring->finished); }
EXPORT int64_t terrain_ring_overruns(const terrain_ring *ring) { return atomic_load(&ring->overruns); }
/* A gap the host told of (a PortAudio underflow flag, a JACK xrun): any thread. */
EXPORT void terrain_ring_count_gap(terrain_ring *ring) { atomic_fetch_add_explicit(&ring->underflow_flags, 1, memory_order_relaxed); }

/* Any thread: the ring position at the newest callback's start, when that frame is heard
   (PortAudio's outputBufferDacTime) and when the callback began (CLOCK_MONOTONIC, the clock of
   .NET's Stopwatch on Linux); 0 until the first callback. */
EXPORT int32_t terrain_ring_clock(const terrain_ring *ring, int64_t *frame, double *dac_time, int64_t *monotonic_ns)
{
    for (;;) {
        int64_t before = atomic_load_explicit(&ring->clock_sequence, memory_order_acquire);
        *frame = atomic_load_explicit(&ring->clock_frame, memory_order_relaxed);
        *dac_time = atomic_load_explicit(&ring->clock_dac_time, memory_order_relaxed);
        *monotonic_ns = atomic_load_explicit(&ring->clock_monotonic_ns, memory_order_relaxed);
        atomic_thread_fence(memory_order_acquire);
        if ((before & 1) == 0 && atomic_load_explicit(&ring->clock_sequence, memory_order_relaxed) == before)
            return before != 0;
    }
}

/* Sleeps until CLOCK_MONOTONIC reads `monotonic_ns` (at once if it has passed). */
EXPORT void terrain_sleep_until(int64_t monotonic_ns)
{
    struct timespec until = { .tv_sec = monotonic_ns / 1000000000, .tv_nsec = monotonic_ns % 1000000000 };
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL) == EINTR) { }
}

/* Control thread: whether a stream's end is expected (a stop) or a loss; clears `finished` when starting. */
EXPORT void terrain_ring_set_stopping(terrain_ring *ring, int32_t stopping)
{
    atomic_store(&ring->stopping, stopping);
    if (!stopping) atomic_store(&ring->finished, 0);
}

/* What every device does with a block, whatever calls it (PortAudio's callback, the JACK client's
   process callback, a test's simulated device): notes where the block's first ring frame is heard
   (`heard_at`, in the device's clock) and when the callback began (`now_ns`, CLOCK_MONOTONIC or a
   simulated clock), copies the ring's next frames out and silence for what it lacks (an underrun,
   "early" when it came less than half a period after the one before: a device catching up, not the
   writer's fault), counts a gap the host flagged, and wakes the writer. */
EXPORT void terrain_ring_pull(terrain_ring *ring, float *out, int64_t frames, int64_t now_ns, double heard_at, int32_t gap)
{
    int64_t previous_ns = atomic_load_explicit(&ring->clock_monotonic_ns, memory_order_relaxed);
    int64_t first_frame = atomic_load_explicit(&ring->read, memory_order_relaxed);
    int64_t sequence = atomic_load_explicit(&ring->clock_sequence, memory_order_relaxed);
    atomic_store_explicit(&ring->clock_sequence, sequence + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_release);
    atomic_store_explicit(&ring->clock_frame, first_frame, memory_order_relaxed);
    atomic_store_explicit(&ring->clock_dac_time, heard_at, memory_order_relaxed);
    atomic_store_explicit(&ring->clock_monotonic_ns, now_ns, memory_order_relaxed);
    atomic_store_explicit(&ring->clock_sequence, sequence + 2, memory_order_release);
    int64_t got = terrain_ring_read(ring, out, frames);
    if (got < frames) {
        memset(out + got * ring->channels, 0, (size_t)(frames - got) * (size_t)ring->channels * sizeof(float));
        atomic_fetch_add_explicit(&ring->underruns, 1, memory_order_relaxed);
        int32_t rate = atomic_load_explicit(&ring->sample_rate, memory_order_relaxed);
        if (rate > 0 && previous_ns != 0 && now_ns - previous_ns < frames * 500000000 / rate)
            atomic_fetch_add_explicit(&ring->early_underruns, 1, memory_order_relaxed);
    }
    if (gap) terrain_ring_count_gap(ring);
    atomic_fetch_add_explicit(&ring->frames_played, frames, memory_order_relaxed);
}

/* What every input device does with a block it recorded, whatever calls it (PortAudio's input
   callback, the JACK client's process callback, a test's simulated device): copies the frames into
   the ring for the thread that drains it, and when that thread has fallen so far behind that they
   do not all fit, keeps what fits and counts an overrun; it never waits. Counts a gap the host flagged. */
EXPORT void terrain_ring_push(terrain_ring *ring, const float *in, int64_t frames, int32_t gap)
{
    if (terrain_ring_write(ring, in, frames) < frames) atomic_fetch_add_explicit(&ring->overruns, 1, memory_order_relaxed);
    if (gap) terrain_ring_count_gap(ring);
}

int64_t terrain_monotonic_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* PortAudio's stream callback (PaStreamCallback), with the ring as its user data. */
EXPORT int terrain_ring_play(const void *input, void *output, unsigned long frames,
                             const pa_time_info *time, unsigned long status, void *user)
{
    (void)input;
    terrain_ring_pull(user, output, (int64_t)frames, terrain_monotonic_ns(), time->output_dac, (status & PA_OUTPUT_UNDERFLOW) != 0);
    return PA_CONTINUE;
}

/* PortAudio's input stream callback, with the capture ring as its user data. */
EXPORT int terrain_ring_capture(const void *input, void *output, unsigned long frames,
                                const pa_time_info *time, unsigned long status, void *user)
{
    (void)output;
    (void)time;
    if (input != NULL) terrain_ring_push(user, input, (int64_t)frames, (status & PA_INPUT_OVERFLOW) != 0);
    return PA_CONTINUE;
}

/* PortAudio's stream-finished callback: a loss unless the control thread was stopping it. */
EXPORT void terrain_ring_finished_callback(void *user)
{
    terrain_ring *ring = user;
    if (!atomic_load(&ring->stopping)) atomic_store(&ring->finished, 1);
    sem_post(&ring->space);
}
