import os

from dash_app.app import create_app

if __name__ == "__main__":
    create_app().run(
        host=os.environ.get("DASH_HOST", "127.0.0.1"),
        port=int(os.environ.get("DASH_PORT", "8050")),
        debug=False,
    )
