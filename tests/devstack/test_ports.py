"""`make run` names a port that is already taken."""

import socket

import pytest

from devstack.engine import StackError, port_in_use, require_free_port


def test_a_taken_port_is_named_with_the_variable_that_moves_it():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert port_in_use(port)
        with pytest.raises(StackError, match=f"端口 {port} 已被占用.*ENGINE_PORT"):
            require_free_port(port, "流程引擎", "ENGINE_PORT")
