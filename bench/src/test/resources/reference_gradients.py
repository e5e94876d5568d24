"""Gradients of the reference PyTorch models (docs/models.md) for given weights and one minibatch; used by ReferenceGradientsTest.

Usage: reference_gradients.py REFERENCE_SCRIPT MODEL DIR
DIR holds manifest.json ({"params": {name: shape}, "x": shape}) and NAME.f32 files (float32, little-endian) for the
parameters named as PyTorch names them, the input "x" and the class indices "labels". Writes grad_NAME.f32 for every
parameter and prints {"loss": mean cross-entropy} on stdout. Dropout is switched off, as on the DL4J side, so that
both compute the same function. No numpy: Debian's torch 1.13 breaks with a numpy 2 on the path.
"""
import array
import importlib.util
import json
import sys
import warnings

import torch


def main():
    reference, model, directory = sys.argv[1:4]
    spec = importlib.util.spec_from_file_location("pytorch_reference", reference)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    warnings.filterwarnings("ignore", message=".*dropout2d.*", category=UserWarning)
    with open(directory + "/manifest.json") as f:
        manifest = json.load(f)

    def load(name, shape):
        with open("%s/%s.f32" % (directory, name), "rb") as f:
            return torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(shape).clone()

    net = ref.MODELS[model]()
    net.drop.p = 0.0
    state = net.state_dict()
    for name, shape in manifest["params"].items():
        state[name] = load(name, shape)
    net.load_state_dict(state)
    x = load("x", manifest["x"])
    labels = load("labels", [manifest["x"][0]]).long()
    net.train()
    loss = torch.nn.functional.cross_entropy(net(x), labels)
    loss.backward()
    for name, p in net.named_parameters():
        with open("%s/grad_%s.f32" % (directory, name), "wb") as f:
            f.write(array.array("f", p.grad.reshape(-1).tolist()).tobytes())
    print(json.dumps({"loss": loss.item()}))


if __name__ == "__main__":
    main()
