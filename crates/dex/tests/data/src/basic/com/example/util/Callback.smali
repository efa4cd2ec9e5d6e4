.class public interface abstract Lcom/example/util/Callback;
.super Ljava/lang/Object;
.source "Callback.java"

# virtual methods
.method public abstract onResult(I)V
.end method
