"""The common peer of bench/webhook.py: what a typical WeCom bot is, wechatpy + Flask served by
gunicorn (2 sync workers), answering every 智能机器人 callback with a fixed text and no store.

The same work per request as the bot's passive answer, less the bot's own: check
msg_signature, decrypt, read the JSON, encrypt and sign a finished stream reply. It runs in
its own virtual environment (bench/peer-requirements.txt), never in the bot's.
"""

import json
import os
import secrets
import time

from flask import Flask, Response, request
from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import PrpCrypto

TOKEN = os.environ["PEER_TOKEN"]
KEY = __import__("base64").b64decode(os.environ["PEER_KEY"] + "=")
ANSWER = "严众能负责的任务（5项）：……"

app = Flask(__name__)


@app.post("/wecom/aibot")
def aibot():
    query = request.args
    encrypt = json.loads(request.get_data())["encrypt"]
    if _get_signature(TOKEN, query["timestamp"], query["nonce"], encrypt) != query["msg_signature"]:
        return Response("", status=403)
    message = json.loads(PrpCrypto(KEY).decrypt(encrypt, ""))
    reply = {"msgtype": "stream", "stream": {"id": message["msgid"], "finish": True, "content": ANSWER}}
    sealed = PrpCrypto(KEY).encrypt(json.dumps(reply, ensure_ascii=False), "").decode()
    timestamp, nonce = str(int(time.time())), secrets.token_hex(8)
    return Response(json.dumps({"encrypt": sealed, "msgsignature": _get_signature(TOKEN, timestamp, nonce, sealed),
                                "timestamp": timestamp, "nonce": nonce}), mimetype="application/json")
