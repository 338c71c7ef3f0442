#!/usr/bin/python3
"""Small nn~-compatible models for the tests, made with Debian's PyTorch (and python3-onnx).

    /usr/bin/python3 tests/peer/nn_models.py OUT_DIR [--hidden 64] [--ratio 256] [--latent 8]

writes into OUT_DIR:
  streaming_r44100.ts   encode + a streaming decoder whose causal convolutions cache their past
                        inside the module (as RAVE's --streaming export does); no get_methods (the
                        methods are found from their `_params` buffers), no declared sample rate
                        (the file name says 44100)
  attributes.ts         the same weights, stereo, with nn~'s get_methods / get_attributes and
                        get_/set_ methods: sample_rate (48000), gain (float), mode (string),
                        table (a [1, 4096] tensor, as nn~'s wavetable.ts has, get_ only)
  mono_encoder_r44100.ts  attributes.ts's stereo decoder with streaming_r44100.ts's mono encoder:
                        encode_params [1, 1, 8, 256], decode_params [8, 256, 2, 1]
  new_operator.ts       streaming_r44100.ts as torch >= 2.1 writes it, its decode ending in
                        aten::scaled_dot_product_attention, which libtorch 1.13 lacks (its archive
                        edited: Debian's torch 1.13 cannot export that operator itself)
  forward_only.ts       only `forward` (audio in, audio out): not an autoencoder
  bad_params.ts         decode_params holds 3 values instead of 4
  other_latent.ts       encode_params say 9 latents, decode_params 8
  wrong_shape.ts        decode returns one sample too few per frame
  nan.ts                decode returns NaN
  not_an_archive.ts     text
  truncated.ts          the first half of streaming_r44100.ts
  streaming.onnx        the decoder of streaming_r44100.ts with explicit state tensors
                        (latent, state_in_* -> audio, state_out_*), metadata in its properties
  streaming.encoder.onnx  its encoder
  sidecar.onnx + sidecar.json  the same decoder without metadata, described by a sidecar JSON
  unexpected_inputs.onnx  a decoder with an extra input `temperature`
  parity.json           a latent sequence and audio, with what PyTorch makes of them

Every conv is causal, so decoding frame by frame (state carried) equals one long call; the
script checks that itself before writing anything.
"""
import argparse
import json
import os
import sys

import torch
import torch.nn as nn

MAX_BATCH = 64  # rows of cached state, as cached_conv keeps for nn~'s batched voices
K_LATENT, K_AUDIO = 3, 9  # kernel sizes at the latent rate and at the audio rate


class DecoderCore(nn.Module):
    """The decoder's weights and one step: latents [b, latent, T] + states -> audio [b, ch, T * ratio] + states."""

    def __init__(self, latent: int, hidden: int, ratio: int, channels: int):
        super().__init__()
        self.ratio, self.channels = ratio, channels
        self.conv1 = nn.Conv1d(latent, hidden, K_LATENT)
        self.conv2 = nn.Conv1d(hidden, hidden, K_LATENT)
        self.to_wave = nn.Conv1d(hidden, ratio * channels, 1)
        self.smooth = nn.Conv1d(channels, channels, K_AUDIO)

    def state_shapes(self, batch: int):
        return [(batch, self.conv1.in_channels, K_LATENT - 1),
                (batch, self.conv2.in_channels, K_LATENT - 1),
                (batch, self.channels, K_AUDIO - 1)]

    def step(self, z, s1, s2, s3):
        x = torch.cat([s1, z], -1)
        n1 = x[:, :, x.shape[2] - s1.shape[2]:]
        h = torch.tanh(self.conv1(x))
        x = torch.cat([s2, h], -1)
        n2 = x[:, :, x.shape[2] - s2.shape[2]:]
        h = torch.tanh(self.conv2(x))
        w = self.to_wave(h)
        b, frames = w.shape[0], w.shape[2]
        w = w.reshape(b, self.channels, self.ratio, frames).permute(0, 1, 3, 2).reshape(b, self.channels, frames * self.ratio)
        x = torch.cat([s3, w], -1)
        n3 = x[:, :, x.shape[2] - s3.shape[2]:]
        return 0.5 * torch.tanh(self.smooth(x)), n1, n2, n3


class Encoder(nn.Module):
    """One latent frame per `ratio` samples: a strided conv whose kernel is its stride needs no state."""

    def __init__(self, latent: int, ratio: int, channels: int):
        super().__init__()
        self.conv = nn.Conv1d(channels, latent, ratio, stride=ratio)

    def forward(self, x):
        return 3.0 * torch.tanh(self.conv(x))


class StreamingModel(nn.Module):
    """nn~'s view: encode / decode on [batch, channels, time], `<method>_params` buffers, cached state."""

    def __init__(self, core: DecoderCore, encoder: Encoder, latent: int):
        super().__init__()
        self.core, self.encoder = core, encoder
        ratio, channels = core.ratio, core.channels
        self.register_buffer("encode_params", torch.tensor([encoder.conv.in_channels, 1, latent, ratio]))
        self.register_buffer("decode_params", torch.tensor([latent, ratio, channels, 1]))
        s1, s2, s3 = core.state_shapes(MAX_BATCH)
        self.register_buffer("cache1", torch.zeros(s1))
        self.register_buffer("cache2", torch.zeros(s2))
        self.register_buffer("cache3", torch.zeros(s3))

    @torch.jit.export
    def encode(self, x):
        return self.encoder(x)

    @torch.jit.export
    def decode(self, z):
        b = z.shape[0]
        y, n1, n2, n3 = self.core.step(z, self.cache1[:b], self.cache2[:b], self.cache3[:b])
        self.cache1[:b].copy_(n1)
        self.cache2[:b].copy_(n2)
        self.cache3[:b].copy_(n3)
        return y


class AttributeModel(StreamingModel):
    """As nn_tilde.Module exports: get_methods, get_attributes, get_<name> / set_<name>."""

    def __init__(self, core, encoder, latent):
        super().__init__(core, encoder, latent)
        self.gain = 1.0
        self.mode = "plain"
        self.table = torch.linspace(-1.0, 1.0, 4096).reshape(1, 4096)

    @torch.jit.export
    def get_methods(self):
        return ["encode", "decode"]

    @torch.jit.export
    def get_attributes(self):
        return ["sample_rate", "gain", "mode", "table"]

    @torch.jit.export
    def get_table(self) -> torch.Tensor:
        return self.table

    @torch.jit.export
    def get_sample_rate(self) -> int:
        return 48000

    @torch.jit.export
    def get_gain(self) -> float:
        return self.gain

    @torch.jit.export
    def set_gain(self, value: float) -> int:
        if value < 0.0:
            return -1
        self.gain = value
        return 0

    @torch.jit.export
    def get_mode(self) -> str:
        return self.mode

    @torch.jit.export
    def set_mode(self, value: str) -> int:
        self.mode = value
        return 0

    @torch.jit.export
    def decode(self, z):
        b = z.shape[0]
        y, n1, n2, n3 = self.core.step(z, self.cache1[:b], self.cache2[:b], self.cache3[:b])
        self.cache1[:b].copy_(n1)
        self.cache2[:b].copy_(n2)
        self.cache3[:b].copy_(n3)
        return self.gain * y


class ForwardOnly(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("forward_params", torch.tensor([1, 1, 1, 1]))

    def forward(self, x):
        return 0.5 * x


class BadParams(StreamingModel):
    def __init__(self, core, encoder, latent):
        super().__init__(core, encoder, latent)
        self.decode_params = torch.tensor([latent, core.ratio, core.channels])


class OtherLatent(StreamingModel):
    def __init__(self, core, encoder, latent):
        super().__init__(core, encoder, latent)
        self.encode_params = torch.tensor([encoder.conv.in_channels, 1, latent + 1, core.ratio])


class WrongShape(StreamingModel):
    @torch.jit.export
    def decode(self, z):
        return torch.zeros(z.shape[0], self.core.channels, z.shape[2] * self.core.ratio - 1)


class NotANumber(StreamingModel):
    @torch.jit.export
    def decode(self, z):
        return torch.full([z.shape[0], self.core.channels, z.shape[2] * self.core.ratio], float("nan"))


class OnnxDecoder(nn.Module):
    """The same decoder with its state passed in and out: state_in_i -> state_out_i."""

    def __init__(self, core: DecoderCore):
        super().__init__()
        self.core = core

    def forward(self, latent, state_in_1, state_in_2, state_in_3):
        return self.core.step(latent, state_in_1, state_in_2, state_in_3)


class ExtraInput(OnnxDecoder):
    def forward(self, latent, temperature, state_in_1, state_in_2, state_in_3):
        y, n1, n2, n3 = self.core.step(latent * temperature, state_in_1, state_in_2, state_in_3)
        return y, n1, n2, n3


def export_decoder_onnx(module, path, core, extra_inputs=()):
    import onnx  # only here: the TorchScript models need no onnx

    states = [torch.zeros(s) for s in core.state_shapes(1)]
    latent = torch.zeros(1, core.conv1.in_channels, 1)
    inputs = ["latent", *extra_inputs, "state_in_1", "state_in_2", "state_in_3"]
    extra = [torch.ones(1) for _ in extra_inputs]
    outputs = ["audio", "state_out_1", "state_out_2", "state_out_3"]
    batch = {0: "batch"}
    torch.onnx.export(module, (latent, *extra, *states), path, input_names=inputs, output_names=outputs, opset_version=13,
                      dynamic_axes={"latent": {0: "batch", 2: "frames"}, "audio": {0: "batch", 2: "samples"},
                                    **{n: batch for n in inputs[1 + len(extra_inputs):]}, **{n: batch for n in outputs[1:]}})
    return onnx


def set_metadata(onnx, path, properties):
    model = onnx.load(path)
    onnx.helper.set_model_props(model, {k: str(v) for k, v in properties.items()})
    onnx.save(model, path)


def with_new_operator(source, target):
    """The archive as torch >= 2.1 writes it (byteorder and .data/serialization_id records), decode
    ending in aten::scaled_dot_product_attention: what a scripted torch 2.x nn.MultiheadAttention
    calls. The edited code's debug record (source ranges of the old text) is left out."""
    import zipfile

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as new:
        root = old.namelist()[0].split("/")[0]
        code = f"{root}/code/__torch__.py"
        for name in old.namelist():
            data = old.read(name)
            if name == code + ".debug_pkl":
                continue
            if name == code:
                text = data.decode()
                if text.count("    return y\n") != 1:
                    sys.exit(f"{code} of {source} has no single 'return y' to edit")
                data = text.replace("    return y\n", "    return torch.scaled_dot_product_attention(y, y, y)\n").encode()
            new.writestr(name, data)
        new.writestr(f"{root}/byteorder", "little")
        new.writestr(f"{root}/.data/serialization_id", "1403095712605616200409937051032722494953")


def stream(module, z):
    """Frame by frame through a fresh copy of the module: what the instrument does."""
    return torch.cat([module.decode(z[:, :, i:i + 1]) for i in range(z.shape[2])], -1)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--latent", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--ratio", type=int, default=256)
    parser.add_argument("--frames", type=int, default=6, help="frames of the parity sequence")
    parser.add_argument("--only-streaming", action="store_true", help="make streaming_r44100.ts and streaming.onnx only (benchmarks)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    out = lambda name: os.path.join(args.out, name)
    torch.manual_seed(1)
    latent, ratio = args.latent, args.ratio

    mono = DecoderCore(latent, args.hidden, ratio, 1).eval()
    encoder = Encoder(latent, ratio, 1).eval()
    streaming = torch.jit.script(StreamingModel(mono, encoder, latent))
    streaming.save(out("streaming_r44100.ts"))

    # PyTorch's answers, from fresh loads so no state leaks between them.
    z = torch.randn(1, latent, args.frames)
    audio = 0.5 * torch.randn(1, 1, args.frames * ratio)
    with torch.no_grad():
        whole = torch.jit.load(out("streaming_r44100.ts")).decode(z)
        frames = stream(torch.jit.load(out("streaming_r44100.ts")), z)
        latents = torch.jit.load(out("streaming_r44100.ts")).encode(audio)
    gap = (whole - frames).abs().max().item()
    if gap > 1e-6:
        sys.exit(f"streaming decode differs from one long call by {gap}")

    onnx = export_decoder_onnx(OnnxDecoder(mono).eval(), out("streaming.onnx"), mono)
    set_metadata(onnx, out("streaming.onnx"), {"latent_size": latent, "ratio": ratio, "sample_rate": 44100, "channels": 1})
    if args.only_streaming:
        return

    torch.onnx.export(encoder, (audio,), out("streaming.encoder.onnx"), input_names=["audio"], output_names=["latent"],
                      opset_version=13, dynamic_axes={"audio": {0: "batch", 2: "samples"}, "latent": {0: "batch", 2: "frames"}})
    export_decoder_onnx(OnnxDecoder(mono).eval(), out("sidecar.onnx"), mono)
    with open(out("sidecar.json"), "w") as f:
        json.dump({"latent_size": latent, "ratio": ratio, "sample_rate": 22050, "channels": 1}, f)
    export_decoder_onnx(ExtraInput(mono).eval(), out("unexpected_inputs.onnx"), mono, extra_inputs=("temperature",))
    set_metadata(onnx, out("unexpected_inputs.onnx"), {"latent_size": latent, "ratio": ratio, "sample_rate": 44100})

    stereo = DecoderCore(latent, args.hidden, ratio, 2).eval()
    attributes = torch.jit.script(AttributeModel(stereo, Encoder(latent, ratio, 2).eval(), latent))
    attributes.save(out("attributes.ts"))
    with torch.no_grad():
        stereo_whole = torch.jit.load(out("attributes.ts")).decode(z)

    torch.jit.script(StreamingModel(stereo, encoder, latent)).save(out("mono_encoder_r44100.ts"))
    with_new_operator(out("streaming_r44100.ts"), out("new_operator.ts"))

    torch.jit.script(ForwardOnly()).save(out("forward_only.ts"))
    torch.jit.script(BadParams(mono, encoder, latent)).save(out("bad_params.ts"))
    torch.jit.script(OtherLatent(mono, encoder, latent)).save(out("other_latent.ts"))
    torch.jit.script(WrongShape(mono, encoder, latent)).save(out("wrong_shape.ts"))
    torch.jit.script(NotANumber(mono, encoder, latent)).save(out("nan.ts"))
    with open(out("not_an_archive.ts"), "w") as f:
        f.write("this is not a TorchScript archive\n")
    with open(out("streaming_r44100.ts"), "rb") as f:
        whole_file = f.read()
    with open(out("truncated.ts"), "wb") as f:
        f.write(whole_file[:len(whole_file) // 2])

    flat = lambda t: [round(v, 9) for v in t.flatten().tolist()]
    with open(out("parity.json"), "w") as f:
        json.dump({
            "latent_size": latent, "ratio": ratio, "frames": args.frames,
            "latents": flat(z[0].T),               # row-major frames [frames, latent]
            "decoded": flat(whole[0]),             # planar [channels, samples]
            "stereo_decoded": flat(stereo_whole[0]),
            "audio": flat(audio[0]),
            "encoded": flat(latents[0].T),         # row-major frames [frames, latent]
        }, f)


if __name__ == "__main__":
    main()
