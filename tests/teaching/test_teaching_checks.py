"""Check cells: right answers pass, wrong ones name the quantity, the size of the error and the
usual mistake. Expected values are the lecture notes' hand computations (AlexNet conv1: (227 -
11) / 4 + 1 = 55, 11 * 11 * 3 * 96 = 34,848 weights; the depthwise-separable block's 147,456 vs
1,152 + 16,384 weights), not accelsim's output."""

import pytest

import accelsim
from accelsim.teaching.checks import WrongAnswer, check_layer, check_network, check_value


@pytest.fixture(scope="module")
def alexnet():
    return accelsim.load_network("alexnet")


def _message(fn, *args, **kw) -> str:
    with pytest.raises(WrongAnswer) as info:
        fn(*args, **kw)
    return str(info.value)


def test_right_answers_pass_and_say_so(alexnet, capsys):
    check_layer(alexnet, "conv1", E=(227 - 11) // 4 + 1, F=55, M=96, weights=11 * 11 * 3 * 96, biases=96,
                params=11 * 11 * 3 * 96 + 96, macs=55 * 55 * 11 * 11 * 3 * 96)
    out = capsys.readouterr().out
    assert "correct: alexnet conv1 E = 55" in out and "correct: alexnet conv1 weights = 34,848" in out
    assert out.count("correct:") == 7


def test_a_wrong_output_size_names_the_quantity_and_the_difference(alexnet):
    msg = _message(check_layer, alexnet, "conv1", E=54, F=55)
    assert msg.splitlines()[0].startswith("alexnet conv1 E: you gave 54, accelsim says 55, off by -1 (-1.8%)")
    assert len(msg.splitlines()) == 1  # F is right: only E is listed


def test_hints_recognise_the_usual_mistakes(alexnet):
    assert "padding" in _message(check_layer, alexnet, "conv2", E=(27 - 5) + 1)  # pad 2 forgotten
    assert "stride" in _message(check_layer, alexnet, "conv1", E=227 - 11 + 1)
    assert "+ 1" in _message(check_layer, alexnet, "conv1", E=(227 - 11) // 4)
    assert "whole number" in _message(check_layer, alexnet, "pool1", E=(55 - 3) / 2 + 0.5)
    # conv2: 2 groups of 128 filters over 48 channels each
    assert "grouped (G = 2)" in _message(check_layer, alexnet, "conv2", weights=256 * 96 * 5 * 5)
    assert "one group's" in _message(check_layer, alexnet, "conv2", weights=128 * 48 * 5 * 5)
    assert "biases too" in _message(check_layer, alexnet, "conv1", weights=34_848 + 96)
    assert "biases" in _message(check_layer, alexnet, "conv1", params=34_848)
    assert "FLOPs" in _message(check_layer, alexnet, "conv1", macs=2 * 105_415_200)
    assert "parameter count" in _message(check_layer, alexnet, "fc7", macs=4096 * 4096 + 4096)


def test_a_hint_without_a_known_mistake_gives_the_formula(alexnet):
    msg = _message(check_layer, alexnet, "conv1", macs=100)
    assert "Hint: MACs = N * M * E * F * C * R * S" in msg


def test_every_wrong_or_missing_quantity_is_listed(alexnet):
    msg = _message(check_layer, alexnet, "conv1", E=55, weights=..., biases=None, macs="many")
    lines = msg.splitlines()
    assert lines == ["alexnet conv1 weights: not answered yet (replace the ... with your number)",
                     "alexnet conv1 biases: not answered yet (replace the ... with your number)",
                     "alexnet conv1 macs: expected a number, got 'many'"]


def test_pooling_layers_have_sizes_and_no_parameters(alexnet, capsys):
    check_layer(alexnet, "pool1", E=(55 - 3) // 2 + 1, M=96, params=0, macs=0)
    assert capsys.readouterr().out.count("correct:") == 4
    assert "accelsim says 0" in _message(check_layer, alexnet, "pool1", params=96)


def test_network_totals_and_their_hints(alexnet, capsys):
    check_network(alexnet, weights=60_954_656, biases=10_568, macs=724_406_816)  # the zoo's published counts
    assert capsys.readouterr().out.count("correct:") == 3
    conv_macs = sum(layer.macs for layer in alexnet.mapped_layers if layer.kind == "conv")
    assert "conv layers only" in _message(check_network, alexnet, macs=conv_macs)
    assert "conv layers only" in _message(check_network, alexnet, weights=2_332_704)  # conv1..conv5 by hand
    assert "biases too" in _message(check_network, alexnet, weights=60_954_656 + 10_568)


def test_depthwise_separable_block_of_the_notes(capsys):
    std, sep = accelsim.load_network("dsconv-standard"), accelsim.load_network("dsconv-separable")
    check_layer(std, "conv", weights=3 * 3 * 128 * 128)
    check_layer(sep, "conv.dw", weights=3 * 3 * 128)
    check_layer(sep, "conv.pw", weights=128 * 128)
    check_network(sep, weights=17_536)
    assert capsys.readouterr().out.count("correct:") == 4


def test_check_value_tolerance():
    check_value("ratio", 8.41, 8.4097, rel_tol=0.01)
    msg = _message(check_value, "ratio", 9.0, 8.4097, hint="standard / separable", rel_tol=0.01)
    assert msg.startswith("ratio: you gave 9, accelsim says 8.41, off by +0.5903") and "Hint: standard" in msg
    assert "not answered" in _message(check_value, "ratio", ..., 8.4)


def test_misuse_is_a_type_error_not_a_wrong_answer(alexnet):
    with pytest.raises(TypeError, match="unknown quantity flops"):
        check_layer(alexnet, "conv1", flops=1)
    with pytest.raises(TypeError):
        check_layer(alexnet, "conv1")
    with pytest.raises(KeyError, match="no layer 'conv9'"):
        check_layer(alexnet, "conv9", E=1)
