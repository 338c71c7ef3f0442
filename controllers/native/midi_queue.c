/*
 * The queue between RtMidi's input callback and an input's own thread (controllers/Midi), in C.
 *
 * Why C: RtMidi calls its input callback on the MIDI API's thread, on JACK its real-time process
 * thread. A managed callback there enters the .NET runtime: the first message attaches that thread
 * to the runtime (milliseconds), and every garbage collection suspends it. When it overruns JACK's
 * period, RtMidi reads the rest of the cycle from a buffer JACK has already reused, and messages
 * are delivered twice or lost. Written here, the callback touches no managed memory and no runtime
 * code: it stamps the arrival time, copies the message into the queue and wakes the input's thread,
 * which delivers it in C# (controllers/Midi/MidiInput.cs, NativeMidiQueue.cs).
 *
 * The queue: a byte ring of whole messages, each a record (its header, then its bytes, padded to 8).
 * Positions are 64-bit byte counters that never wrap in practice, each owned by one side; the
 * writer publishes a record with a release store of its position after copying it, the reader
 * sees it whole with an acquire load, and the same the other way for freed space. The writer
 * never waits: a message that does not fit is dropped and counted. The reader sleeps on `arrived`,
 * which the writer posts (sem_post is lock-free and async-signal-safe).
 */
#include <errno.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))

typedef struct {
    uint32_t length;        /* the message's bytes, after this header */
    uint32_t unused;
    int64_t arrival_ns;     /* CLOCK_MONOTONIC when the callback ran */
    double delta;           /* RtMidi's seconds since the previous message */
} record_header;

typedef struct {
    /* Each position on a cache line of its own, so the two sides do not share one. */
    _Alignas(64) _Atomic int64_t written;
    _Alignas(64) _Atomic int64_t read;
    _Alignas(64) _Atomic int64_t dropped;       /* messages that did not fit (or did not fit the reader's buffer) */
    sem_t arrived;
    int64_t capacity;                           /* bytes; a power of two */
    unsigned char *bytes;
} terrain_midi_queue;

static int64_t record_size(size_t length) { return (int64_t)((sizeof(record_header) + length + 7) & ~(size_t)7); }

/* Copies `count` bytes into the ring at position `at`, across its end if need be; and back out. */
static void copy_in(terrain_midi_queue *queue, int64_t at, const void *from, size_t count)
{
    size_t offset = (size_t)(at & (queue->capacity - 1));
    size_t first = count < (size_t)queue->capacity - offset ? count : (size_t)queue->capacity - offset;
    memcpy(queue->bytes + offset, from, first);
    memcpy(queue->bytes, (const unsigned char *)from + first, count - first);
}

static void copy_out(const terrain_midi_queue *queue, int64_t at, void *to, size_t count)
{
    size_t offset = (size_t)(at & (queue->capacity - 1));
    size_t first = count < (size_t)queue->capacity - offset ? count : (size_t)queue->capacity - offset;
    memcpy(to, queue->bytes + offset, first);
    memcpy((unsigned char *)to + first, queue->bytes, count - first);
}

EXPORT terrain_midi_queue *terrain_midi_queue_create(int64_t capacity)
{
    if (capacity < 64 || (capacity & (capacity - 1)) != 0) return NULL;
    terrain_midi_queue *queue = aligned_alloc(64, (sizeof(terrain_midi_queue) + 63) / 64 * 64);
    if (queue == NULL) return NULL;
    memset(queue, 0, sizeof *queue);
    queue->bytes = malloc((size_t)capacity);
    if (queue->bytes == NULL || sem_init(&queue->arrived, 0, 0) != 0) {
        free(queue->bytes);
        free(queue);
        return NULL;
    }
    queue->capacity = capacity;
    return queue;
}

EXPORT void terrain_midi_queue_destroy(terrain_midi_queue *queue)
{
    if (queue == NULL) return;
    sem_destroy(&queue->arrived);
    free(queue->bytes);
    free(queue);
}

/* The longest message the queue can hold. */
EXPORT int64_t terrain_midi_queue_max_message(const terrain_midi_queue *queue)
{
    return queue->capacity - (int64_t)sizeof(record_header);
}

EXPORT int64_t terrain_midi_queue_dropped(const terrain_midi_queue *queue) { return atomic_load(&queue->dropped); }

/* Wakes the reader (one pending wake-up is enough, and keeps the count bounded when nobody waits). */
EXPORT void terrain_midi_queue_wake(terrain_midi_queue *queue)
{
    /* Orders the writer's position store before the look at the semaphore, against the reader's
       decrement before its look at the position: one of the two always sees the other. */
    atomic_thread_fence(memory_order_seq_cst);
    int pending;
    if (sem_getvalue(&queue->arrived, &pending) == 0 && pending == 0) sem_post(&queue->arrived);
}

/* RtMidi's input callback (RtMidiCCallback), with the queue as its user data; the only writer. */
EXPORT void terrain_midi_enqueue(double delta, const unsigned char *message, size_t size, void *user)
{
    terrain_midi_queue *queue = user;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t start = atomic_load_explicit(&queue->written, memory_order_relaxed);
    int64_t free_bytes = queue->capacity - (start - atomic_load_explicit(&queue->read, memory_order_acquire));
    if (size > (size_t)terrain_midi_queue_max_message(queue) || record_size(size) > free_bytes) {
        atomic_fetch_add_explicit(&queue->dropped, 1, memory_order_relaxed);
        return;
    }
    record_header header = { .length = (uint32_t)size, .arrival_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec, .delta = delta };
    copy_in(queue, start, &header, sizeof header);
    copy_in(queue, start + (int64_t)sizeof header, message, size);
    atomic_store_explicit(&queue->written, start + record_size(size), memory_order_release);
    terrain_midi_queue_wake(queue);
}

/* Reader only: copies the next message into `buffer` and returns its length, with its arrival time
   and RtMidi's delta; 0 when the queue is empty. A message longer than `buffer_size` is skipped and
   counted as dropped. */
EXPORT int64_t terrain_midi_dequeue(terrain_midi_queue *queue, unsigned char *buffer, int64_t buffer_size,
                                    int64_t *arrival_ns, double *delta)
{
    for (;;) {
        int64_t start = atomic_load_explicit(&queue->read, memory_order_relaxed);
        if (atomic_load_explicit(&queue->written, memory_order_acquire) == start) return 0;
        record_header header;
        copy_out(queue, start, &header, sizeof header);
        int fits = (int64_t)header.length <= buffer_size;
        if (fits) copy_out(queue, start + (int64_t)sizeof header, buffer, header.length);
        atomic_store_explicit(&queue->read, start + record_size(header.length), memory_order_release);
        if (fits && header.length > 0) {
            *arrival_ns = header.arrival_ns;
            *delta = header.delta;
            return header.length;
        }
        if (!fits) atomic_fetch_add_explicit(&queue->dropped, 1, memory_order_relaxed);
    }
}

/* Reader: sleeps until a message arrives (or a wake) or `timeout_us` passes; 1 when woken, 0 otherwise. */
EXPORT int32_t terrain_midi_queue_wait(terrain_midi_queue *queue, int32_t timeout_us)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_us / 1000000;
    until.tv_nsec += (long)(timeout_us % 1000000) * 1000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    int woken = 1;
    while (sem_clockwait(&queue->arrived, CLOCK_MONOTONIC, &until) != 0)
        if (errno != EINTR) { woken = 0; break; }
    atomic_thread_fence(memory_order_seq_cst);
    return woken;
}
