/*
 * The instrument's JACK client: plays the audio ring on a JACK server through libjack's own client
 * API, where PortAudio cannot survive the server (docs/architecture.md says why), and records its
 * input ports into a capture ring. Input and output share one client: libjack frees every client of
 * a dead server when another opens, so a second client would break the loss and reopen handling.
 *
 * libjack is opened with dlopen, so the engine builds without JACK's headers and runs where JACK is
 * not installed. The process callback is C for the reason audio_ring.c gives: JACK's real-time
 * thread never enters the .NET runtime. It reads the ring through terrain_ring_pull and spreads the
 * interleaved frames over the ports; it gathers the input ports' frames, interleaved, into the
 * capture ring through terrain_ring_push. The server's end comes through jack_on_info_shutdown, which
 * only sets a flag: the control thread sees it and closes the client (libjack forbids closing it
 * from that callback).
 */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_ring.h"

/* The slice of <jack/jack.h> used here (its ABI is stable since JACK 0.1xx). */
typedef struct jack_client jack_client_t;
typedef struct jack_port jack_port_t;
typedef uint32_t jack_nframes_t;
typedef uint64_t jack_time_t;
typedef struct { jack_nframes_t min, max; } jack_latency_range_t;
enum { JACK_NO_START_SERVER = 0x01, JACK_PORT_IS_INPUT = 0x1, JACK_PORT_IS_OUTPUT = 0x2, JACK_PORT_IS_PHYSICAL = 0x4,
       JACK_PLAYBACK_LATENCY = 1, JACK_SERVER_FAILED = 0x10 };
static const char AUDIO_TYPE[] = "32 bit float mono audio";

static struct {
    jack_client_t *(*client_open)(const char *name, int options, int *status, ...);
    int (*client_close)(jack_client_t *client);
    jack_port_t *(*port_register)(jack_client_t *client, const char *name, const char *type, unsigned long flags, unsigned long size);
    void *(*port_get_buffer)(jack_port_t *port, jack_nframes_t frames);
    int (*port_unregister)(jack_client_t *client, jack_port_t *port);
    const char *(*port_name)(const jack_port_t *port);
    jack_port_t *(*port_by_name)(jack_client_t *client, const char *name);
    void (*port_get_latency_range)(jack_port_t *port, int mode, jack_latency_range_t *range);
    int (*set_process_callback)(jack_client_t *client, int (*callback)(jack_nframes_t, void *), void *arg);
    int (*set_xrun_callback)(jack_client_t *client, int (*callback)(void *), void *arg);
    void (*on_info_shutdown)(jack_client_t *client, void (*callback)(int, const char *, void *), void *arg);
    int (*activate)(jack_client_t *client);
    int (*deactivate)(jack_client_t *client);
    int (*connect)(jack_client_t *client, const char *source, const char *destination);
    const char **(*get_ports)(jack_client_t *client, const char *name, const char *type, unsigned long flags);
    void (*free)(void *pointer);
    jack_nframes_t (*get_sample_rate)(jack_client_t *client);
    jack_nframes_t (*get_buffer_size)(jack_client_t *client);
    jack_time_t (*get_time)(void);
    int (*get_cycle_times)(const jack_client_t *client, jack_nframes_t *frames, jack_time_t *current, jack_time_t *next, float *period);
    void (*set_error_function)(void (*function)(const char *));
    void (*set_info_function)(void (*function)(const char *));
} jack;

static void ignore_message(const char *message) { (void)message; }

/* Loads libjack once; 0 when it is not installed. */
static int load_jack(char *error, int32_t error_size)
{
    static int loaded = -1;
    if (loaded >= 0) {
        if (!loaded) snprintf(error, (size_t)error_size, "JACK is not installed (libjack.so.0 cannot be loaded)");
        return loaded;
    }
    void *library = dlopen("libjack.so.0", RTLD_NOW | RTLD_LOCAL);
    loaded = 0;
    if (library == NULL) return load_jack(error, error_size);
#define RESOLVE(field, symbol) if ((*(void **)&jack.field = dlsym(library, symbol)) == NULL) return load_jack(error, error_size)
    RESOLVE(client_open, "jack_client_open");
    RESOLVE(client_close, "jack_client_close");
    RESOLVE(port_register, "jack_port_register");
    RESOLVE(port_get_buffer, "jack_port_get_buffer");
    RESOLVE(port_unregister, "jack_port_unregister");
    RESOLVE(port_name, "jack_port_name");
    RESOLVE(port_by_name, "jack_port_by_name");
    RESOLVE(port_get_latency_range, "jack_port_get_latency_range");
    RESOLVE(set_process_callback, "jack_set_process_callback");
    RESOLVE(set_xrun_callback, "jack_set_xrun_callback");
    RESOLVE(on_info_shutdown, "jack_on_info_shutdown");
    RESOLVE(activate, "jack_activate");
    RESOLVE(deactivate, "jack_deactivate");
    RESOLVE(connect, "jack_connect");
    RESOLVE(get_ports, "jack_get_ports");
    RESOLVE(free, "jack_free");
    RESOLVE(get_sample_rate, "jack_get_sample_rate");
    RESOLVE(get_buffer_size, "jack_get_buffer_size");
    RESOLVE(get_time, "jack_get_time");
    RESOLVE(get_cycle_times, "jack_get_cycle_times");
    RESOLVE(set_error_function, "jack_set_error_function");
    RESOLVE(set_info_function, "jack_set_info_function");
#undef RESOLVE
    /* libjack prints every failed connection attempt ("Cannot connect to server socket ..."); our
       callers say what failed in one line of their own. */
    jack.set_error_function(ignore_message);
    jack.set_info_function(ignore_message);
    loaded = 1;
    return 1;
}

enum { MAX_CHANNELS = 32, MAX_FRAMES = 8192, MAX_CAPTURE_CHANNELS = 2 };

typedef struct {
    jack_client_t *client;
    terrain_ring *ring;
    int32_t channels;
    jack_port_t *ports[MAX_CHANNELS];
    _Atomic int32_t gone;          /* the server shut down or died */
    _Atomic int32_t connected;     /* the ports are connected: until then the ring is not read */
    _Atomic int32_t latency;       /* frames from our ports to the speakers: the first playback port's latency */
    _Atomic int32_t too_large;     /* cycles longer than MAX_FRAMES, played as silence */
    float interleaved[MAX_FRAMES * 2];
    float *wide;                   /* MAX_FRAMES * channels when more than two channels */
    /* Set once, after its ports are registered: from then on the process callback records them. */
    terrain_ring *_Atomic capture;
    jack_port_t *capture_ports[MAX_CAPTURE_CHANNELS];
    float captured[MAX_FRAMES * MAX_CAPTURE_CHANNELS];
} terrain_jack;

/* The input ports' frames of this cycle, interleaved, into the capture ring. */
static void record(terrain_jack *output, terrain_ring *capture, jack_nframes_t frames)
{
    int32_t channels = capture->channels;
    for (int32_t c = 0; c < channels; c++) {
        const float *port = jack.port_get_buffer(output->capture_ports[c], frames);
        for (jack_nframes_t i = 0; i < frames; i++) output->captured[i * (jack_nframes_t)channels + (jack_nframes_t)c] = port[i];
    }
    terrain_ring_push(capture, output->captured, frames, 0);
}

static int process(jack_nframes_t frames, void *argument)
{
    terrain_jack *output = argument;
    terrain_ring *capture = atomic_load_explicit(&output->capture, memory_order_acquire);
    if (capture != NULL && frames <= MAX_FRAMES) record(output, capture, frames);
    float *interleaved = output->wide != NULL ? output->wide : output->interleaved;
    if (frames > MAX_FRAMES || !atomic_load_explicit(&output->connected, memory_order_acquire)) {
        for (int32_t c = 0; c < output->channels; c++)
            memset(jack.port_get_buffer(output->ports[c], frames), 0, frames * sizeof(float));
        if (frames > MAX_FRAMES) atomic_fetch_add_explicit(&output->too_large, 1, memory_order_relaxed);
        return 0;
    }
    jack_nframes_t frame_time;
    jack_time_t current_us, next_us;
    float period_us;
    double heard_at = 0;
    if (jack.get_cycle_times(output->client, &frame_time, &current_us, &next_us, &period_us) == 0)
        heard_at = (double)current_us / 1e6 + (double)atomic_load_explicit(&output->latency, memory_order_relaxed)
                   / atomic_load_explicit(&output->ring->sample_rate, memory_order_relaxed);
    terrain_ring_pull(output->ring, interleaved, frames, terrain_monotonic_ns(), heard_at, 0);
    for (int32_t c = 0; c < output->channels; c++) {
        float *port = jack.port_get_buffer(output->ports[c], frames);
        for (jack_nframes_t i = 0; i < frames; i++) port[i] = interleaved[i * (jack_nframes_t)output->channels + (jack_nframes_t)c];
    }
    return 0;
}

static int xrun(void *argument)
{
    terrain_jack *output = argument;
    terrain_ring_count_gap(output->ring);
    terrain_ring *capture = atomic_load_explicit(&output->capture, memory_order_acquire);
    if (capture != NULL) terrain_ring_count_gap(capture);
    return 0;
}

static void on_shutdown(int code, const char *reason, void *argument)
{
    (void)code;
    (void)reason;
    terrain_jack *output = argument;
    atomic_store(&output->gone, 1);
    /* The ring's writer may be asleep waiting for the device: wake it to see the loss. */
    sem_post(&output->ring->space);
}

/* Registers the audio port `prefix`_`index`; NULL, with the reason in `error`, when the server refuses. */
static jack_port_t *register_port(jack_client_t *client, const char *prefix, int32_t index, unsigned long flags, char *error, int32_t error_size)
{
    char name[16];
    snprintf(name, sizeof name, "%s_%d", prefix, index);
    jack_port_t *port = jack.port_register(client, name, AUDIO_TYPE, flags, 0);
    if (port == NULL) snprintf(error, (size_t)error_size, "the JACK server refused the port %s", name);
    return port;
}

/* Connects to the JACK server JACK_DEFAULT_SERVER names (never starting one) as `client_name`, with
   one output port per ring channel (out_0, out_1, ...), not yet active. NULL and a one-line reason
   in `error` when there is no server or it refuses. */
EXPORT terrain_jack *terrain_jack_open(const char *client_name, terrain_ring *ring, char *error, int32_t error_size)
{
    if (!load_jack(error, error_size)) return NULL;
    if (ring->channels > MAX_CHANNELS) {
        snprintf(error, (size_t)error_size, "JACK output of at most %d channels, not %d", MAX_CHANNELS, ring->channels);
        return NULL;
    }
    terrain_jack *output = calloc(1, sizeof *output);
    if (output == NULL) return NULL;
    output->ring = ring;
    output->channels = ring->channels;
    if (ring->channels > 2 && (output->wide = calloc((size_t)MAX_FRAMES * (size_t)ring->channels, sizeof(float))) == NULL) {
        free(output);
        return NULL;
    }
    int status = 0;
    output->client = jack.client_open(client_name, JACK_NO_START_SERVER, &status);
    if (output->client == NULL) {
        if (status & JACK_SERVER_FAILED) snprintf(error, (size_t)error_size, "no JACK server is running");
        else snprintf(error, (size_t)error_size, "the JACK server refused the client (jack_status_t 0x%x)", (unsigned)status);
        free(output->wide);
        free(output);
        return NULL;
    }
    for (int32_t c = 0; c < ring->channels; c++) {
        output->ports[c] = register_port(output->client, "out", c, JACK_PORT_IS_OUTPUT, error, error_size);
        if (output->ports[c] == NULL) {
            jack.client_close(output->client);
            free(output->wide);
            free(output);
            return NULL;
        }
    }
    jack.set_process_callback(output->client, process, output);
    jack.set_xrun_callback(output->client, xrun, output);
    jack.on_info_shutdown(output->client, on_shutdown, output);
    return output;
}

EXPORT int32_t terrain_jack_gone(const terrain_jack *output) { return atomic_load(&output->gone); }
/* JACK's clock in seconds (jack_get_time), the clock of the heard-at times the process callback notes. */
EXPORT double terrain_jack_time(void) { return jack.get_time != NULL ? (double)jack.get_time() / 1e6 : 0; }

/* Seconds from our ports to the speakers once started: the playback latency the driver gives the
   first physical playback port (our own ports' figure is worked out later, as the graph settles). */
EXPORT double terrain_jack_latency(const terrain_jack *output)
{
    return (double)atomic_load(&output->latency) / jack.get_sample_rate(output->client);
}

/* Connects the i-th physical capture port to in_i (those there are). */
static void connect_capture(terrain_jack *output)
{
    terrain_ring *capture = atomic_load(&output->capture);
    if (capture == NULL) return;
    const char **sources = jack.get_ports(output->client, NULL, AUDIO_TYPE, JACK_PORT_IS_OUTPUT | JACK_PORT_IS_PHYSICAL);
    for (int32_t c = 0; sources != NULL && c < capture->channels && sources[c] != NULL; c++)
        jack.connect(output->client, sources[c], jack.port_name(output->capture_ports[c]));
    if (sources != NULL) jack.free(sources);
}

/* Gives the client one input port per channel of `capture` (in_0, in_1, ...), records them into it
   from now on and connects them to the physical capture ports whenever the client starts (now, if it
   plays). Once per client. 0, or -1 with the reason in `error`. */
EXPORT int32_t terrain_jack_capture(terrain_jack *output, terrain_ring *capture, char *error, int32_t error_size)
{
    if (atomic_load(&output->capture) != NULL) {
        snprintf(error, (size_t)error_size, "the JACK client records an input already");
        return -1;
    }
    if (capture->channels > MAX_CAPTURE_CHANNELS) {
        snprintf(error, (size_t)error_size, "JACK input of at most %d channels, not %d", MAX_CAPTURE_CHANNELS, capture->channels);
        return -1;
    }
    for (int32_t c = 0; c < capture->channels; c++) {
        output->capture_ports[c] = register_port(output->client, "in", c, JACK_PORT_IS_INPUT, error, error_size);
        if (output->capture_ports[c] == NULL) {
            while (--c >= 0) jack.port_unregister(output->client, output->capture_ports[c]);
            return -1;
        }
    }
    atomic_store_explicit(&output->capture, capture, memory_order_release);
    if (atomic_load(&output->connected)) connect_capture(output);
    return 0;
}

/* Activates the client, connects out_i to the i-th physical playback port and the i-th physical
   capture port to in_i (those there are). 0, or -1 with the reason in `error`. */
EXPORT int32_t terrain_jack_start(terrain_jack *output, char *error, int32_t error_size)
{
    if (jack.activate(output->client) != 0) {
        snprintf(error, (size_t)error_size, "the JACK server would not activate the client");
        return -1;
    }
    const char **playback = jack.get_ports(output->client, NULL, AUDIO_TYPE, JACK_PORT_IS_INPUT | JACK_PORT_IS_PHYSICAL);
    for (int32_t c = 0; playback != NULL && c < output->channels && playback[c] != NULL; c++)
        jack.connect(output->client, jack.port_name(output->ports[c]), playback[c]);
    jack_port_t *first = playback != NULL && playback[0] != NULL ? jack.port_by_name(output->client, playback[0]) : NULL;
    if (first != NULL) {
        jack_latency_range_t range = { 0, 0 };
        jack.port_get_latency_range(first, JACK_PLAYBACK_LATENCY, &range);
        atomic_store(&output->latency, (int32_t)range.max);
    }
    if (playback != NULL) jack.free(playback);
    connect_capture(output);
    /* The ring is read from here on, so its first frame is heard rather than lost before the connections. */
    atomic_store_explicit(&output->connected, 1, memory_order_release);
    return 0;
}

EXPORT void terrain_jack_stop(terrain_jack *output)
{
    atomic_store(&output->connected, 0);
    if (!atomic_load(&output->gone)) jack.deactivate(output->client);
}

/* Closes the client (also one whose server is gone: libjack then only frees it) and frees it all. */
EXPORT void terrain_jack_close(terrain_jack *output)
{
    if (output == NULL) return;
    jack.client_close(output->client);
    free(output->wide);
    free(output);
}

/* How many physical ports of `flags`' direction the server has. */
static int32_t count_ports(jack_client_t *client, unsigned long flags)
{
    const char **ports = jack.get_ports(client, NULL, AUDIO_TYPE, flags | JACK_PORT_IS_PHYSICAL);
    int32_t count = 0;
    while (ports != NULL && ports[count] != NULL) count++;
    if (ports != NULL) jack.free(ports);
    return count;
}

/* Whether a JACK server runs (JACK_DEFAULT_SERVER's), and its rate and physical playback and capture
   ports: a client opened and closed at once. 0 when none runs. */
EXPORT int32_t terrain_jack_probe(const char *client_name, int32_t *sample_rate, int32_t *playback_ports, int32_t *capture_ports, int32_t *period)
{
    char error[160];
    if (!load_jack(error, sizeof error)) return 0;
    jack_client_t *client = jack.client_open(client_name, JACK_NO_START_SERVER, NULL);
    if (client == NULL) return 0;
    *sample_rate = (int32_t)jack.get_sample_rate(client);
    *period = (int32_t)jack.get_buffer_size(client);
    *playback_ports = count_ports(client, JACK_PORT_IS_INPUT);
    *capture_ports = count_ports(client, JACK_PORT_IS_OUTPUT);
    jack.client_close(client);
    return 1;
}

/* PortAudio must never hold a JACK client (docs/architecture.md): at Pa_Initialize its JACK host
   API connects to the server JACK_DEFAULT_SERVER names, so for that moment the variable names a
   server that cannot exist, and is put back after. Called under PortAudio's lock; libjack reads the
   variable only when a client opens, and no client of ours opens meanwhile. */
EXPORT void terrain_jack_hide(int32_t hide)
{
    static char *saved;
    static int hidden;
    if (hide && !hidden) {
        const char *now = getenv("JACK_DEFAULT_SERVER");
        saved = now != NULL ? strdup(now) : NULL;
        setenv("JACK_DEFAULT_SERVER", "terrain-keeps-portaudio-off-jack", 1);
        hidden = 1;
    } else if (!hide && hidden) {
        if (saved != NULL) setenv("JACK_DEFAULT_SERVER", saved, 1);
        else unsetenv("JACK_DEFAULT_SERVER");
        free(saved);
        saved = NULL;
        hidden = 0;
    }
}
