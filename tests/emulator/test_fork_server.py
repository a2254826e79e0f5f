"""fork_server.py: each forked emulator has state of its own, lives until its
caller hangs up, and has Vigil's fixes; a forked scene runs as `python -c`."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import boto3

HERE = os.path.dirname(os.path.abspath(__file__))


def ask(path, request):
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    conn.sendall((json.dumps(request) + "\n").encode())
    return conn, conn.makefile("rb").readline().decode()


class ForkServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp()
        cls.path = os.path.join(cls.folder, "s")
        cls.server = subprocess.Popen([sys.executable, os.path.join(HERE, "fork_server.py"), "serve", cls.path],
                                      stdout=subprocess.PIPE)
        assert cls.server.stdout.readline().strip() == b"listening"

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()
        cls.server.wait()
        cls.server.stdout.close()

    def emulator(self):
        conn, line = ask(self.path, {"emulator": True})
        self.assertTrue(line.startswith("listening on http://127.0.0.1:"), line)
        return conn, line.split()[-1]

    def kms(self, url):
        return boto3.client("kms", endpoint_url=url, region_name="eu-west-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def test_each_emulator_has_its_own_state_and_lives_until_hung_up(self):
        (first, one), (second, two) = self.emulator(), self.emulator()
        self.kms(one).create_key()
        self.assertEqual(len(self.kms(one).list_keys()["Keys"]), 1)
        self.assertEqual(self.kms(two).list_keys()["Keys"], [])
        first.close()
        with self.assertRaises(Exception):
            for _ in range(50):  # the child exits once it reads the hang-up
                self.kms(one).list_keys()
                time.sleep(0.05)
        second.close()

    def test_emulators_have_the_fixes(self):
        conn, url = self.emulator()
        bedrock = boto3.client("bedrock", endpoint_url=url, region_name="eu-west-1",
                               aws_access_key_id="testing", aws_secret_access_key="testing")
        # Fix 35: logging off is an absent field, not an empty one.
        self.assertNotIn("loggingConfig", bedrock.get_model_invocation_logging_configuration())
        conn.close()

    def test_a_scene_runs_as_python_dash_c(self):
        conn, line = ask(self.path, {"scene": "import sys\nprint(sys.argv[1])\nprint('oops', file=sys.stderr)\nsys.exit(3)",
                                     "argv": ["http://x"]})
        self.assertEqual(json.loads(line), {"code": 3, "stdout": "http://x\n", "stderr": "oops\n"})
        conn, line = ask(self.path, {"scene": "raise ValueError('bad scene')", "argv": []})
        ran = json.loads(line)
        self.assertEqual(ran["code"], 1)
        self.assertIn("ValueError: bad scene", ran["stderr"])


if __name__ == "__main__":
    unittest.main()
