"""Comments on a process: viewers read them, operators write them."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from qlf.dashboard.models import ProcessComment
from qlf.dashboard.permissions import IsViewerReadOperatorWrite
from qlf.dashboard.selectors.comments import comment_list
from qlf.dashboard.services.comments import comment_create


class CommentOutput(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", default=None)

    class Meta:
        model = ProcessComment
        fields = ["id", "process", "author", "text", "created"]


class ProcessCommentsApi(APIView):
    permission_classes = [IsViewerReadOperatorWrite]

    class CommentInputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=10000)

    @extend_schema(responses=CommentOutput(many=True))
    def get(self, request, process_id: int):
        comments = comment_list(process_id=process_id)
        return Response(CommentOutput(comments, many=True).data)

    @extend_schema(request=CommentInputSerializer, responses={201: CommentOutput})
    def post(self, request, process_id: int):
        data = self.CommentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = comment_create(
            process_id=process_id, author=request.user, text=data.validated_data["text"]
        )
        return Response(CommentOutput(comment).data, status=status.HTTP_201_CREATED)
