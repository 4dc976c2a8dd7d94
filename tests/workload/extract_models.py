"""PyTorch re-implementations used by the extractor tests (imported after ``require("torch")``).

- AlexNet: Krizhevsky et al., NIPS 2012, the original two-tower network written as one graph with
  groups=2 on conv2, conv4 and conv5; 227 x 227 input.
- ResNet-18: He et al., CVPR 2016, with torchvision's module structure and names.
- MobileNet v1: Howard et al., arXiv:1704.04861, Table 1, with the Caffe release's layer names
  (conv1, conv2_1/dw, conv2_1/sep, ...) written as conv2_1.dw / conv2_1.pw; convs without bias.
"""

import torch
import torch.nn.functional as F
from torch import nn


class AlexNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 96, 11, stride=4)
        self.norm1 = nn.LocalResponseNorm(5)
        self.pool1 = nn.MaxPool2d(3, 2)
        self.conv2 = nn.Conv2d(96, 256, 5, padding=2, groups=2)
        self.norm2 = nn.LocalResponseNorm(5)
        self.pool2 = nn.MaxPool2d(3, 2)
        self.conv3 = nn.Conv2d(256, 384, 3, padding=1)
        self.conv4 = nn.Conv2d(384, 384, 3, padding=1, groups=2)
        self.conv5 = nn.Conv2d(384, 256, 3, padding=1, groups=2)
        self.pool5 = nn.MaxPool2d(3, 2)
        self.drop = nn.Dropout()
        self.fc6 = nn.Linear(256 * 6 * 6, 4096)
        self.fc7 = nn.Linear(4096, 4096)
        self.fc8 = nn.Linear(4096, 1000)

    def forward(self, x):
        x = self.pool1(self.norm1(F.relu(self.conv1(x))))
        x = self.pool2(self.norm2(F.relu(self.conv2(x))))
        x = F.relu(self.conv3(x))
        x = F.relu(self.conv4(x))
        x = self.pool5(F.relu(self.conv5(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc6(self.drop(x)))
        x = F.relu(self.fc7(self.drop(x)))
        return self.fc8(x)


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.downsample = None
        if stride != 1 or c_in != c_out:
            self.downsample = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            identity = self.downsample(x)
        return self.relu(out + identity)


class ResNet18(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = nn.Sequential(BasicBlock(64, 64, 1), BasicBlock(64, 64, 1))
        self.layer2 = nn.Sequential(BasicBlock(64, 128, 2), BasicBlock(128, 128, 1))
        self.layer3 = nn.Sequential(BasicBlock(128, 256, 2), BasicBlock(256, 256, 1))
        self.layer4 = nn.Sequential(BasicBlock(256, 512, 2), BasicBlock(512, 512, 1))
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512, 1000)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)


class DepthwiseSeparable(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.dw = nn.Conv2d(c_in, c_in, 3, stride=stride, padding=1, groups=c_in, bias=False)
        self.dw_bn = nn.BatchNorm2d(c_in)
        self.pw = nn.Conv2d(c_in, c_out, 1, bias=False)
        self.pw_bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        x = F.relu(self.dw_bn(self.dw(x)))
        return F.relu(self.pw_bn(self.pw(x)))


MOBILENET_BLOCKS = [("conv2_1", 32, 64, 1), ("conv2_2", 64, 128, 2), ("conv3_1", 128, 128, 1),
                    ("conv3_2", 128, 256, 2), ("conv4_1", 256, 256, 1), ("conv4_2", 256, 512, 2),
                    ("conv5_1", 512, 512, 1), ("conv5_2", 512, 512, 1), ("conv5_3", 512, 512, 1),
                    ("conv5_4", 512, 512, 1), ("conv5_5", 512, 512, 1), ("conv5_6", 512, 1024, 2),
                    ("conv6", 1024, 1024, 1)]


class MobileNetV1(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, stride=2, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        for name, c_in, c_out, stride in MOBILENET_BLOCKS:
            setattr(self, name, DepthwiseSeparable(c_in, c_out, stride))
        self.pool = nn.AvgPool2d(7)
        self.fc = nn.Linear(1024, 1000)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for name, *_ in MOBILENET_BLOCKS:
            x = getattr(self, name)(x)
        x = self.pool(x).view(x.size(0), -1)
        return self.fc(x)


def get(name: str) -> nn.Module:
    """A fresh model by class name (AlexNet, ResNet18, MobileNetV1)."""
    return {"AlexNet": AlexNet, "ResNet18": ResNet18, "MobileNetV1": MobileNetV1}[name]()
