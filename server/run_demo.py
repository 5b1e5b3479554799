"""Run the demo: the server on :8000, the dashboard on :8050 and the indicator publisher,
until Ctrl-C.

Used by `make demo` after migrations and demo data; the processes stop together. The
publisher (`manage.py publish_indicators --watch`) checks every second whether submissions,
registry changes or targets changed and republishes, so a new submission shows in
/api/v1/indicators/ within a few seconds with no manual step.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# DEMO_HOST=0.0.0.0 lets phones on the same network reach the demo server.
DEMO_HOST = os.environ.get("DEMO_HOST", "127.0.0.1")
SERVER_URL = f"http://{DEMO_HOST}:8000"
DASH_URL = "http://127.0.0.1:8050"


def main() -> int:
    python = sys.executable
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    processes = [
        subprocess.Popen(
            [python, "server/manage.py", "runserver", f"{DEMO_HOST}:8000", "--noreload"],
            cwd=REPO,
            env=env,
        ),
        subprocess.Popen([python, "-m", "dash_app"], cwd=REPO, env=env),
        subprocess.Popen(
            [python, "server/manage.py", "publish_indicators", "--watch"], cwd=REPO, env=env
        ),
    ]
    print(
        f"\n邹区镇调查系统演示已启动：\n"
        f"  服务器 / ODK Collect 地址: {SERVER_URL}/\n"
        f"  管理后台:                 {SERVER_URL}/admin/\n"
        f"  API:                      {SERVER_URL}/api/v1/  (文档 {SERVER_URL}/api/docs/)\n"
        f"  指标:                     {SERVER_URL}/api/v1/indicators/?period=2025\n"
        f"  仪表盘:                   {DASH_URL}/\n"
        f"  演示账号 district / official / worker / contractor，密码 zouqu-demo\n"
        f"按 Ctrl-C 停止。\n",
        flush=True,
    )
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 10
        for p in processes:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
    failed = [p.returncode for p in processes if p.returncode not in (0, -2, None)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
